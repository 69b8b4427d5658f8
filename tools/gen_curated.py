#!/usr/bin/env python3
"""Generate gazetteers/curated/ from the hand-written sources in tools/curated/.

Usage: python3 tools/gen_curated.py [--out gazetteers/curated]

Inputs (all curated by hand, source=curated):
  tools/curated/entities/*.txt     regions, organisations, media, people (block format)
  tools/curated/country_forms.txt  adjectives and name forms per country
  tools/curated/ministry_templates.txt  per-language templates for ministries and role titles
  tools/curated/roles.txt          who held which templated role, and literal role titles
  tools/curated/triggers.txt       trigger words
  gazetteers/countries/names.tsv   English country names for the templates (run
                                   tools/gen_countries.py first)
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazlib import (ENTITY_COLS, NAME_COLS, ROLE_COLS, TRIGGER_COLS, Name,  # noqa: E402
                    dedupe_names, parse_name_item, read_blocks, read_tsv, write_tsv)
from countryforms import read_forms  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CUR = HERE / "curated"
# Ministries written by hand in entities/orgs.txt instead of the templates.
HANDWRITTEN = {("US", "mfa"), ("US", "mod"), ("GB", "mfa")}
MINISTRY_LABEL = {"mfa": "Ministry of Foreign Affairs of {}", "mod": "Ministry of Defence of {}"}
PRIO_MINISTRY = 55


def read_pipe(path: Path, ncols: int):
    for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.rstrip("\n").split("|")]
        if len(parts) != ncols:
            sys.exit(f"{path}:{lineno}: expected {ncols} columns, got {len(parts)}")
        yield lineno, parts


PEOPLE_LANGS = ["en", "fa", "ar", "ru"]


def read_people(path: Path):
    """One person per line: slug | country | note | wikidata | en | fa | ar | ru.
    Each language cell is a ';'-list of names with optional /flags (as in the
    block format); the first name of a language is canonical, the others alias.
    A famous surname that should match on its own is left unflagged (alias);
    /surname makes it match only after the full name in the same document."""
    out = []
    for lineno, parts in read_pipe(path, 8):
        slug, cc, note, wd = parts[:4]
        eid = f"naql:per:{slug}"
        ns = []
        for lang, cell in zip(PEOPLE_LANGS, parts[4:]):
            first = True
            for item in cell.split(";"):
                if not item.strip() or item.strip() == "-":
                    continue
                name, kind, case, amb, prio = parse_name_item(item)
                if kind is None:
                    kind = "canonical" if first else "alias"
                first = False
                ns.append(Name(eid, name, lang, kind, prio if prio is not None else 50, case, amb, "curated"))
        if not ns:
            sys.exit(f"{path}:{lineno}: no names")
        label = next((n.name for n in ns if n.lang == "en"), ns[0].name)
        out.append(({"id": eid, "type": "PER", "subtype": "person", "label_en": label, "wikidata": wd,
                     "country": cc, "note": note}, ns))
    return out


def country_slots(iso: str, f: dict, en_names: dict) -> dict[str, list[str]]:
    nis = f["ar_nisba"]
    return {
        "en_adj": [a for a in f["en_adj"] if a not in ("U.S.", "UK")],
        "en_name": en_names.get(iso, []),
        "fa_name": f["fa_name"],
        "ar_name": f["ar_name"],
        "ar_adj_m": ["ال" + n for n in nis if " " not in n],
        "ar_adj_f": ["ال" + n + "ة" for n in nis if " " not in n],
        "ru_gen": f["ru_gen"],
    }


def expand(template: str, slots: dict[str, list[str]]) -> list[str]:
    out = [template]
    for key, vals in slots.items():
        ph = "{" + key + "}"
        if any(ph in t for t in out):
            out = [t.replace(ph, v) for t in out if ph in t for v in vals] + [t for t in out if ph not in t]
    return [t for t in out if "{" not in t]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(REPO / "gazetteers" / "curated"))
    a = ap.parse_args()

    entities, names = [], []
    for path in sorted((CUR / "entities").glob("*.txt")):
        for ent, ns in read_blocks(path):
            if ent["type"] != "PER":
                # short names of places and organisations match on their own;
                # kind=short (linked only after the full name) is kept for people
                for n in ns:
                    if n.kind == "short":
                        n.kind = "alias"
            entities.append([ent[c] for c in ENTITY_COLS])
            names.extend(ns)

    # English country names for the templates: canonical and short CLDR/overlay names
    en_names = defaultdict(list)
    _, crow = read_tsv(REPO / "gazetteers" / "countries" / "names.tsv")
    for _, r in crow:
        if r["lang"] == "en" and r["kind"] in ("canonical", "short") and r["ambiguous"] == "0" \
                and r["case"] == "fold":
            en_names[r["id"].split(":", 1)[1]].append(r["name"])

    forms = read_forms()
    templates = defaultdict(list)
    for _, (kind, lang, gender, tpl) in read_pipe(CUR / "ministry_templates.txt", 4):
        templates[kind].append((lang, gender, tpl))

    # generated ministries
    for iso, f in forms.items():
        slots = country_slots(iso, f, en_names)
        label_country = (en_names.get(iso) or [iso])[0]
        for kind in ("mfa", "mod"):
            if (iso, kind) in HANDWRITTEN:
                continue
            eid = f"naql:org:{kind}-{iso.lower()}"
            got = []
            for lang, _g, tpl in templates[kind]:
                for t in expand(tpl, slots):
                    got.append(Name(eid, t, lang, "alias", PRIO_MINISTRY, "fold", 0, "curated"))
            if not got:
                continue
            seen_lang = set()
            for n in got:
                if n.lang not in seen_lang:
                    n.kind = "canonical"
                    seen_lang.add(n.lang)
            entities.append([eid, "ORG", "ministry", MINISTRY_LABEL[kind].format(label_country), "", iso,
                             "generated from tools/curated/ministry_templates.txt"])
            names.extend(got)

    for path in sorted((CUR / "people").glob("*.txt")):
        for ent, ns in read_people(path):
            entities.append([ent[c] for c in ENTITY_COLS])
            names.extend(ns)

    ids = {e[0] for e in entities}
    dup = [i for i in ids if sum(1 for e in entities if e[0] == i) > 1]
    if dup:
        sys.exit(f"duplicate entity ids: {dup}")

    # roles
    roles = []
    for lineno, (role, iso, holder, gender, vfrom, vto) in read_pipe(CUR / "roles.txt", 6):
        if holder not in ids:
            sys.exit(f"{CUR / 'roles.txt'}:{lineno}: unknown holder {holder}")
        if role == "title":          # literal title: iso column holds "lang:title"
            lang, title = iso.split(":", 1)
            roles.append([lang, title, holder, vfrom, vto])
            continue
        if iso not in forms:
            sys.exit(f"{CUR / 'roles.txt'}:{lineno}: no country_forms row for {iso}")
        slots = country_slots(iso, forms[iso], en_names)
        for lang, g, tpl in templates[role]:
            if g not in ("*", gender):
                continue
            for t in expand(tpl, slots):
                roles.append([lang, t, holder, vfrom, vto])
    seen = set()
    roles = [r for r in roles if tuple(r) not in seen and not seen.add(tuple(r))]

    triggers = [[lang, word, kind] for _, (lang, word, kind) in read_pipe(CUR / "triggers.txt", 3)]

    names = dedupe_names(names)
    unknown = {n.id for n in names} - ids
    if unknown:
        sys.exit(f"names for unknown ids: {sorted(unknown)[:10]}")
    out = Path(a.out)
    hdr = ["Generated by tools/gen_curated.py from tools/curated/ (all rows source=curated). "
           "Edit the sources, not this file."]
    entities.sort(key=lambda e: e[0])
    write_tsv(out / "entities.tsv", ENTITY_COLS, entities, hdr)
    order = {l: i for i, l in enumerate(["en", "fa", "ar", "ru", "und"])}
    names.sort(key=lambda n: (n.id, order[n.lang]))
    write_tsv(out / "names.tsv", NAME_COLS, [n.row() for n in names], hdr)
    write_tsv(out / "roles.tsv", ROLE_COLS, roles, hdr)
    write_tsv(out / "triggers.tsv", TRIGGER_COLS, triggers, hdr)
    print(f"curated: {len(entities)} entities, {len(names)} names, {len(roles)} roles, "
          f"{len(triggers)} triggers -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
