#!/usr/bin/env python3
"""Generate gazetteers/countries/ from CLDR territory names plus the curated overlay.

Usage: python3 tools/gen_countries.py [CLDR_LOCALENAMES_DIR] [--out gazetteers/countries]

CLDR_LOCALENAMES_DIR is the unpacked npm package cldr-localenames-full (the
directory holding package.json and main/); default: $CLDR_LOCALENAMES or
./cldr-localenames-full/package. See tools/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazlib import (ENTITY_COLS, NAME_COLS, Name, dedupe_names, fold, read_blocks,  # noqa: E402
                    write_tsv)
from countryforms import ar_nisba_forms, read_forms, ru_adj_forms  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LANGS = ["en", "fa", "ar", "ru"]
# CLDR two-letter region codes that are not ISO 3166-1 countries or territories.
NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
EXTRA = {"XK"}  # Kosovo: user-assigned code, widely used, kept as a country
TERRITORIES = set("""AI AQ AS AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM
IO JE KY MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT""".split())
PRIO_COUNTRY = 60
PRIO_TERRITORY = 55


def clean_cldr(name: str, lang: str) -> list[str]:
    """CLDR display name -> usable names (first = preferred)."""
    out = []
    base = name
    if lang == "fa" and "،" in base:           # هنگ‌کنگ، منطقهٔ ویژهٔ اداری چین
        base = base.split("،")[0].strip()
    if "(" in base:                             # Myanmar (Burma), Гонконг (САР)
        base = re.sub(r"\s*\([^)]*\)", "", base).strip()
    if lang == "en":
        base = re.sub(r" SAR China$", "", base)
    if lang == "ar":
        base = re.sub(r" - ", " ", base)          # الكونغو - كينشاسا
    out.append(base)
    if lang == "en" and "&" in base:
        out.append(base.replace("&", "and"))
        out.append(base.replace("St. ", "Saint ").replace("&", "and"))
    if lang == "en" and base.startswith("St. "):
        out.append(base.replace("St. ", "Saint "))
    if lang == "ru":
        exp = base.replace("о-ва", "острова").replace("о-в", "остров").replace("Св.", "Святой")
        if exp != base:
            out.insert(0, exp)
    if lang == "fa" and "ٔ" in base:            # hamza above on heh: also without it
        out.append(base.replace("ٔ", ""))
    seen, res = set(), []
    for n in out:
        n = n.strip()
        if n and n not in seen:
            seen.add(n)
            res.append(n)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cldr", nargs="?", default=os.environ.get("CLDR_LOCALENAMES",
                                                              "cldr-localenames-full/package"))
    ap.add_argument("--out", default=str(REPO / "gazetteers" / "countries"))
    a = ap.parse_args()
    cldr = Path(a.cldr)
    ver = json.load(open(cldr / "package.json"))["version"]
    terr = {l: json.load(open(cldr / "main" / l / "territories.json", encoding="utf-8"))
            ["main"][l]["localeDisplayNames"]["territories"] for l in LANGS}
    codes = sorted(c for c in terr["en"] if len(c) == 2 and c.isalpha() and c not in NOT_ISO)
    codes = sorted(set(codes) | EXTRA)

    wikidata = {}
    for line in open(HERE / "curated" / "country_wikidata.txt", encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            c, q = line.split()
            wikidata[c] = q
    overlay = {e["id"]: (e, ns) for e, ns in read_blocks(HERE / "curated" / "countries_overlay.txt", require_type=False)}
    forms = read_forms()

    entities, names = [], []
    for c in codes:
        eid = f"iso3166:{c}"
        sub = "territory" if c in TERRITORIES else "country"
        prio = PRIO_TERRITORY if sub == "territory" else PRIO_COUNTRY
        label = clean_cldr(terr["en"][c], "en")[0]
        ov_ent, ov_names = overlay.get(eid, ({}, []))
        if ov_ent.get("label_en"):
            label = ov_ent["label_en"]
        entities.append([eid, "LOC", sub, label, ov_ent.get("wikidata") or wikidata.get(c, ""), c,
                         ov_ent.get("note", "")])
        ov_flags = {(n.lang, n.name): n for n in ov_names}
        for l in LANGS:
            for key, kind in ((c, "canonical"), (f"{c}-alt-short", "alias"), (f"{c}-alt-variant", "alias")):
                if key not in terr[l]:
                    continue
                for i, nm in enumerate(clean_cldr(terr[l][key], l)):
                    k = kind if i == 0 else ("alias" if kind == "canonical" else kind)
                    n = Name(eid, nm, l, k, prio, "fold", 0, "cldr")
                    o = ov_flags.get((l, nm))
                    if o is not None:   # overlay flags win over CLDR defaults
                        n.case, n.ambiguous = o.case, o.ambiguous
                        # a kind flag (abbrev, demonym) wins; listing a CLDR
                        # canonical name second in the overlay does not demote it
                        if o.kind not in ("canonical", "short", "alias"):
                            n.kind = o.kind
                    names.append(n)
        for n in ov_names:
            # place names match on their own: "short" (propagation only) is for people
            if n.kind in ("canonical", "short"):
                n.kind = "alias"
            n.priority = prio if n.priority == 50 else n.priority
            names.append(n)
        f = forms.get(c)
        if f:
            for adj in f["en_adj"] + f["en_people"]:
                names.append(Name(eid, adj, "en", "demonym", prio, "exact", 0, "curated"))
            for adj in f["fa_adj"]:
                names.append(Name(eid, adj, "fa", "demonym", prio, "fold", 0, "curated"))
            for nis in f["ar_nisba"]:
                for form in ar_nisba_forms(nis, f["ar_plural"]):
                    names.append(Name(eid, form, "ar", "demonym", prio, "fold", 0, "curated"))
            for adj in f["ru_adj"]:
                for form in ru_adj_forms(adj):
                    names.append(Name(eid, form, "ru", "demonym", prio, "fold", 0, "curated"))
    unknown = set(overlay) - {e[0] for e in entities}
    if unknown:
        sys.exit(f"overlay ids not in CLDR: {sorted(unknown)}")
    unknown = set(forms) - set(codes)
    if unknown:
        sys.exit(f"country_forms codes not in CLDR: {sorted(unknown)}")

    # a demonym that is also a place name of another or the same country is dropped
    place_keys = {fold(n.name) for n in names if n.kind != "demonym"}
    kept = []
    for n in names:
        if n.kind == "demonym" and fold(n.name) in place_keys:
            print(f"drop demonym equal to a place name: {n.id} {n.name}", file=sys.stderr)
            continue
        kept.append(n)
    names = dedupe_names(kept)
    # a name shared by two countries (Congo, Виргинские острова) is ambiguous for both
    owners = {}
    for n in names:
        owners.setdefault(fold(n.name), set()).add(n.id)
    for n in names:
        if len(owners[fold(n.name)]) > 1 and not n.ambiguous:
            n.ambiguous = 1
            print(f"ambiguous, shared by {sorted(owners[fold(n.name)])}: {n.name}", file=sys.stderr)
    out = Path(a.out)
    hdr = [f"Generated by tools/gen_countries.py from CLDR cldr-localenames-full {ver} "
           "(Unicode licence) and tools/curated/ (source=curated). Do not edit by hand."]
    write_tsv(out / "entities.tsv", ENTITY_COLS, entities, hdr)
    names.sort(key=lambda n: (n.id, ["en", "fa", "ar", "ru", "und"].index(n.lang),
                              ["canonical", "alias", "short", "abbrev", "demonym", "surname"].index(n.kind)))
    write_tsv(out / "names.tsv", NAME_COLS, [n.row() for n in names], hdr)
    print(f"countries: {len(entities)} entities, {len(names)} names -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
