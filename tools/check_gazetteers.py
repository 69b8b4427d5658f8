#!/usr/bin/env python3
"""Validate naql gazetteer directories and print counts.

Usage: python3 tools/check_gazetteers.py [DIR ...]   (default: every directory under gazetteers/)

Checks per directory: required columns, enum values (type, lang, kind, case,
ambiguous, source), priority range, ids of names.tsv/roles.tsv present in
entities.tsv, duplicate entity ids, duplicate name rows, empty names, stray
tabs/newlines (column count), ISO dates in roles.tsv, wikidata ids of the form
Q123. Warnings (not errors): the same folded name on entities of different types
without ambiguous=1, entities without names. Exit status 1 on any error.
"""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazlib import CASES, KINDS, LANGS, SOURCES, TYPES, fold  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Report:
    def __init__(self):
        self.errors, self.warnings = [], []

    def err(self, where, msg):
        self.errors.append(f"{where}: error: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"{where}: warning: {msg}")


def read(path: Path, required: list[str], rep: Report):
    rows, header = [], None
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.endswith("\r"):
                rep.err(f"{path}:{lineno}", "CR line ending")
                line = line.rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if header is None:
                header = parts
                for c in required:
                    if c not in header:
                        rep.err(f"{path}:{lineno}", f"missing column {c!r}")
                continue
            if len(parts) != len(header):
                rep.err(f"{path}:{lineno}", f"{len(parts)} fields, header has {len(header)}")
            row = dict(zip(header, parts + [""] * (len(header) - len(parts))))
            for k, v in row.items():
                if v != v.strip():
                    rep.err(f"{path}:{lineno}", f"leading/trailing space in {k}")
            rows.append((lineno, row))
    return rows


def check_dir(d: Path, rep: Report, stats: dict):
    ents = read(d / "entities.tsv", ["id", "type"], rep)
    if ents is None:
        rep.err(str(d), "no entities.tsv")
        return
    ids, types = {}, {}
    for ln, r in ents:
        w = f"{d / 'entities.tsv'}:{ln}"
        if r["id"] in ids:
            rep.err(w, f"duplicate id {r['id']}")
        ids[r["id"]] = r
        types[r["id"]] = r["type"]
        if r["type"] not in TYPES:
            rep.err(w, f"bad type {r['type']!r}")
        if r.get("wikidata") and not re.fullmatch(r"Q\d+", r["wikidata"]):
            rep.err(w, f"bad wikidata {r['wikidata']!r}")
        if r.get("country") and not re.fullmatch(r"[A-Z]{2}", r["country"]):
            rep.err(w, f"bad country {r['country']!r}")
        stats["entities"][(d.name, r["type"], r.get("subtype", ""))] += 1
    names = read(d / "names.tsv", ["id", "name"], rep) or []
    seen = set()
    key_types = defaultdict(set)
    named = set()
    for ln, r in names:
        w = f"{d / 'names.tsv'}:{ln}"
        if r["id"] not in ids:
            rep.err(w, f"unknown id {r['id']}")
        if not r["name"].strip():
            rep.err(w, "empty name")
        lang = r.get("lang") or "und"
        kind = r.get("kind") or "alias"
        case = r.get("case") or "fold"
        amb = r.get("ambiguous") or "0"
        src = r.get("source") or "curated"
        prio = r.get("priority") or "50"
        if lang not in LANGS:
            rep.err(w, f"bad lang {lang!r}")
        if kind not in KINDS:
            rep.err(w, f"bad kind {kind!r}")
        if case not in CASES:
            rep.err(w, f"bad case {case!r}")
        if amb not in ("0", "1"):
            rep.err(w, f"bad ambiguous {amb!r}")
        if src not in SOURCES:
            rep.err(w, f"bad source {src!r}")
        if not prio.isdigit() or not 0 <= int(prio) <= 100:
            rep.err(w, f"bad priority {prio!r}")
        k = (r["id"], r["name"], lang)
        if k in seen:
            rep.warn(w, f"duplicate name row {r['name']!r}")
        seen.add(k)
        named.add(r["id"])
        if amb == "0":
            key_types[fold(r["name"])].add(types.get(r["id"], "?"))
            stats["_global"][(fold(r["name"]), types.get(r["id"], "?"), d.name)] += 1
        stats["names"][(d.name, lang, kind)] += 1
        if amb == "1":
            stats["ambiguous"][d.name] += 1
    for k, ts in key_types.items():
        if len(ts) > 1:
            stats["cross_type"][d.name] += 1
            rep.warn(f"{d / 'names.tsv'}", f"name key {k!r} on entities of types {sorted(ts)} without ambiguous=1")
    for i in ids:
        if i not in named:
            rep.warn(f"{d / 'entities.tsv'}", f"entity {i} has no names")
    roles = read(d / "roles.tsv", ["lang", "title", "holder_id", "valid_from", "valid_to"], rep) or []
    for ln, r in roles:
        w = f"{d / 'roles.tsv'}:{ln}"
        if r["holder_id"] not in ids:
            rep.err(w, f"unknown holder {r['holder_id']}")
        if r["lang"] not in LANGS:
            rep.err(w, f"bad lang {r['lang']!r}")
        for c in ("valid_from", "valid_to"):
            if r[c] and not DATE.match(r[c]):
                rep.err(w, f"bad date {r[c]!r}")
        if r["valid_from"] and r["valid_to"] and r["valid_to"] < r["valid_from"]:
            rep.err(w, "valid_to before valid_from")
        if not r["title"].strip():
            rep.err(w, "empty title")
        stats["roles"][(d.name, r["lang"])] += 1
    trig = read(d / "triggers.tsv", ["lang", "word"], rep) or []
    for ln, r in trig:
        if r["lang"] not in LANGS:
            rep.err(f"{d / 'triggers.tsv'}:{ln}", f"bad lang {r['lang']!r}")
        stats["triggers"][r["lang"]] += 1


def main(argv):
    # by default the gazetteer directories (those with an entities.tsv, as build.rs
    # embeds them; gazetteers/cues holds quote lexicons, not a gazetteer)
    dirs = [Path(p) for p in argv] or sorted(
        p for p in (REPO / "gazetteers").iterdir() if (p / "entities.tsv").is_file())
    rep = Report()
    stats = defaultdict(Counter)
    for d in dirs:
        check_dir(d, rep, stats)
    # across directories (the matcher loads them together): same folded key on
    # entities of different types without ambiguous=1
    glob = defaultdict(set)
    for (k, t, dn) in stats["_global"]:
        glob[k].add((t, dn))
    cross = 0
    for k, tds in sorted(glob.items()):
        if len({t for t, _ in tds}) > 1 and len({dn for _, dn in tds}) > 1:
            cross += 1
            rep.warn("(all directories)", f"name key {k!r} on {sorted(tds)} without ambiguous=1")
    print("== entities by directory, type, subtype")
    for (d, t, s), n in sorted(stats["entities"].items()):
        print(f"{d}\t{t}\t{s or '-'}\t{n}")
    print("== names by directory, language, kind")
    for (d, l, k), n in sorted(stats["names"].items()):
        print(f"{d}\t{l}\t{k}\t{n}")
    print("== totals")
    for d in dirs:
        e = sum(n for (dd, _, _), n in stats["entities"].items() if dd == d.name)
        nm = sum(n for (dd, _, _), n in stats["names"].items() if dd == d.name)
        print(f"{d.name}\tentities {e}\tnames {nm}\tambiguous {stats['ambiguous'][d.name]}\t"
              f"cross-type keys {stats['cross_type'][d.name]}")
    print(f"cross-directory keys on entities of different types: {cross}")
    if stats["roles"]:
        print("roles\t" + "\t".join(f"{d}/{l} {n}" for (d, l), n in sorted(stats["roles"].items())))
    if stats["triggers"]:
        print("triggers\t" + "\t".join(f"{l} {n}" for l, n in sorted(stats["triggers"].items())))
    for w in rep.warnings:
        print(w, file=sys.stderr)
    for e in rep.errors:
        print(e, file=sys.stderr)
    print(f"{len(rep.errors)} errors, {len(rep.warnings)} warnings", file=sys.stderr)
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
