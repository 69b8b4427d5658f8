#!/usr/bin/env python3
"""Generate gazetteers/cities/ from GeoNames (Debian geonames 0.3.0) and CLDR time-zone cities.

Usage:
  python3 tools/gen_cities.py --geonames DIR --cldr-dates DIR [--top 2600] [--out gazetteers/cities]

--geonames   directory into which the Debian packages libgeonames-common and
             libgeonames0 were unpacked with `dpkg-deb -x` (holds usr/).
--cldr-dates the unpacked npm package cldr-dates-full (holds package.json, main/).
See tools/README.md for how to fetch both. The countries directory must be
generated first: its names are used to drop city names equal to a country name.
"""
from __future__ import annotations

import argparse
import gettext
import json
import re
import struct
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazlib import (ENTITY_COLS, LANG_SCRIPT, NAME_COLS, Name, dedupe_names, fold,  # noqa: E402
                    letters, read_blocks, read_tsv, script_of, write_tsv)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LANGS = ["en", "fa", "ar", "ru"]
# Countries whose smaller towns are in the news often enough to list them.
FOCUS = set("IR IQ SY LB IL PS JO SA YE AE QA BH KW OM EG TR AF PK AZ AM GE UA LY SD".split())
FOCUS_MIN_POP = 30000
ALWAYS_POP = {"PS", "LB", "IL"}          # every GeoNames place of these
# Provinces (GeoNames admin1) listed for these countries.
PROVINCE_COUNTRIES = set("IR IQ SY AF LB YE SA UA".split())
SHORT_OK = {"قم"}                      # two-letter names kept anyway (Qom)
PRIO_CAPITAL, PRIO_MILLION, PRIO_CITY, PRIO_SMALL, PRIO_PROVINCE = 58, 52, 50, 45, 48


# ------------------------------------------------------------------ GeoNames
def _osize(n):
    return 1 if n <= 0xff else 2 if n <= 0xffff else 4 if n <= 0xffffffff else 8


def read_cities_compiled(blob: bytes):
    """Decode the GVariant a(sssssssudd) in libgeonames' cities.compiled:
    (geonameid, name, admin1 code, admin1 name, country code, country name,
     timezone, population, latitude, longitude)."""
    rd = lambda b, o, s: int.from_bytes(b[o:o + s], "little")  # noqa: E731
    n = len(blob)
    s = _osize(n)
    last = rd(blob, n - s, s)
    ends = [rd(blob, last + i * s, s) for i in range((n - last) // s)]
    start, out = 0, []
    for e in ends:
        el = blob[start:e]
        start = (e + 7) & ~7
        m = len(el)
        ts = _osize(m)
        offs = [rd(el, m - ts * (i + 1), ts) for i in range(7)]
        strs, p = [], 0
        for o in offs:
            strs.append(el[p:o - 1].decode("utf-8"))
            p = o
        p = (p + 3) & ~3
        pop = struct.unpack_from("<I", el, p)[0]
        p = ((p + 4) + 7) & ~7
        lat, lon = struct.unpack_from("<dd", el, p)
        out.append(dict(id=strs[0], name=strs[1], adm1=strs[2], adm1_name=strs[3], cc=strs[4],
                        country=strs[5], tz=strs[6], pop=pop, lat=lat, lon=lon))
    return out


def load_compiled(root: Path) -> bytes:
    cached = list(root.rglob("cities.compiled"))
    if cached:
        return cached[0].read_bytes()
    so = next(root.rglob("libgeonames.so*"))
    # the database is a GResource inside the shared library
    return subprocess.run(["gresource", "extract", str(so), "/com/lomiri/geonames/cities.compiled"],
                          check=True, capture_output=True).stdout


def read_elf_gresource(so: Path) -> bytes:
    return load_compiled(so.parent)


def load_mo(root: Path, lang: str) -> dict:
    p = root / "usr" / "share" / "locale" / lang / "LC_MESSAGES" / "geonames.mo"
    with open(p, "rb") as f:
        return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}


# ------------------------------------------------------------------ cleaning
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670]")


def clean_name(name: str, lang: str) -> str | None:
    name = _BIDI.sub("", name).strip()
    name = _ARABIC_MARKS.sub("", name)
    name = re.split(r"\s*[،,]\s*", name)[0]              # "وارن، میشیگان" -> "وارن"
    name = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()  # "ابي الجعد (البلدية)"
    name = re.sub(r"\s+", " ", name)
    if not name:
        return None
    want = LANG_SCRIPT[lang]
    sc = script_of(name)
    if sc != want:
        return None
    return name


def load_stoplist() -> dict[str, str]:
    stop = {}
    for f in sorted((HERE / "stoplists").glob("*.txt")):
        if f.stem == "en_exact":
            continue
        for line in open(f, encoding="utf-8"):
            w = line.strip()
            if w and not w.startswith("#"):
                stop[fold(w)] = f.stem
    return stop


# ------------------------------------------------------------------ CLDR zones
def cldr_zone_cities(cldr_dates: Path) -> dict[str, dict[str, str]]:
    """tz id -> {lang: exemplar city}."""
    res: dict[str, dict[str, str]] = defaultdict(dict)
    for lang in LANGS:
        d = json.load(open(cldr_dates / "main" / lang / "timeZoneNames.json", encoding="utf-8"))
        zones = d["main"][lang]["dates"]["timeZoneNames"]["zone"]

        def walk(node, path):
            for k, v in node.items():
                if not isinstance(v, dict):
                    continue
                if "exemplarCity" in v or v.get("_type") == "zone":
                    tz = "/".join(path + [k])
                    res[tz][lang] = v.get("exemplarCity") or k.replace("_", " ")
                else:
                    walk(v, path + [k])
        walk(zones, [])
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--geonames", required=True)
    ap.add_argument("--cldr-dates", required=True)
    ap.add_argument("--top", type=int, default=2600)
    ap.add_argument("--out", default=str(REPO / "gazetteers" / "cities"))
    a = ap.parse_args()
    root, cldr_dates = Path(a.geonames), Path(a.cldr_dates)
    cldr_ver = json.load(open(cldr_dates / "package.json"))["version"]

    cities = read_cities_compiled(load_compiled(root))
    by_id = {c["id"]: c for c in cities}
    mo = {l: load_mo(root, l) for l in LANGS}
    stop = load_stoplist()
    exact = {fold(w.strip()) for w in open(HERE / "stoplists" / "en_exact.txt", encoding="utf-8")
             if w.strip() and not w.startswith("#")}

    # country names and demonyms: a city name equal to one of them is dropped
    _, crow = read_tsv(REPO / "gazetteers" / "countries" / "names.tsv")
    country_keys = {fold(r["name"]) for _, r in crow}

    # capitals
    capitals = {}
    idx = defaultdict(list)
    for c in cities:
        idx[(c["cc"], c["name"])].append(c)
        idx[(c["cc"], mo["en"].get(c["id"], c["name"]))].append(c)
    for line in open(HERE / "curated" / "capitals.txt", encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        cc, nm = line.strip().split(" ", 1)
        hits = idx.get((cc, nm))
        if not hits:
            print(f"capital not in GeoNames data: {cc} {nm}", file=sys.stderr)
            continue
        best = max(hits, key=lambda c: c["pop"])
        capitals[best["id"]] = cc

    # overlay: extra names, label fixes, names to drop
    overlay, drops = {}, defaultdict(set)
    ov_path = HERE / "curated" / "cities_overlay.txt"
    for ent, names in read_blocks(ov_path, require_type=False):
        overlay[ent["id"]] = (ent, names)
    cur = None
    for line in open(ov_path, encoding="utf-8"):
        if line.startswith("="):
            cur = line[1:].split("|")[0].strip()
        elif line.startswith("#drop:") and cur:
            for w in line[len("#drop:"):].split(";"):
                if w.strip():
                    drops[cur].add(fold(w))

    # selection
    ranked = sorted(cities, key=lambda c: -c["pop"])
    chosen = {c["id"] for c in ranked[:a.top]}
    chosen |= set(capitals)
    chosen |= {c["id"] for c in cities if c["cc"] in FOCUS and c["pop"] >= FOCUS_MIN_POP}
    chosen |= {c["id"] for c in cities if c["cc"] in ALWAYS_POP}
    chosen |= {k.split(":", 1)[1] for k in overlay if k.startswith("geonames:") and k.split(":", 1)[1] in by_id}

    zones = cldr_zone_cities(cldr_dates)
    zone_city = {}
    for tz, names in zones.items():
        en = names.get("en")
        for c in cities:
            pass
        zone_city[tz] = en
    tz_index = {}
    for c in cities:
        tz_index.setdefault((c["tz"], c["name"]), c["id"])
        tz_index.setdefault((c["tz"], mo["en"].get(c["id"], "")), c["id"])

    entities, names, log = [], [], []
    for cid in sorted(chosen, key=lambda i: (-by_id[i]["pop"], int(i))):
        c = by_id[cid]
        eid = f"geonames:{cid}"
        ov_ent, ov_names = overlay.get(eid, ({}, []))
        label = ov_ent.get("label_en") or mo["en"].get(cid) or c["name"]
        is_cap = cid in capitals
        sub = "capital" if is_cap else "city"
        prio = (PRIO_CAPITAL if is_cap else PRIO_MILLION if c["pop"] >= 1_000_000
                else PRIO_CITY if c["pop"] >= 100_000 else PRIO_SMALL)
        note = f"pop {c['pop']}; {c['adm1_name']}"
        entities.append([eid, "LOC", sub, label, ov_ent.get("wikidata", ""), c["cc"], note])
        cand = [("en", c["name"], "geonames"), ("en", mo["en"].get(cid, ""), "geonames")]
        for l in ("fa", "ar", "ru"):
            if cid in mo[l]:
                cand.append((l, mo[l][cid], "geonames"))
        for tz, zn in zones.items():
            if tz == c["tz"] and tz_index.get((tz, zn.get("en", ""))) == cid:
                for l, v in zn.items():
                    cand.append((l, v, "cldr"))
        first = set()
        for l, raw, src in cand:
            nm = clean_name(raw, l) if raw else None
            if not nm:
                continue
            kind = "canonical" if l not in first else "alias"
            first.add(l)
            names.append(Name(eid, nm, l, kind, prio, "fold", 0, src))
        for n in ov_names:
            n.priority = prio
            if n.kind == "canonical":
                n.kind = "alias"
            names.append(n)

    # provinces (admin1)
    for key in sorted(mo["en"]):
        if "." not in key:
            continue
        cc, code = key.split(".", 1)
        if cc not in PROVINCE_COUNTRIES:
            continue
        eid = f"geonames-adm1:{key}"
        en = clean_name(mo["en"][key], "en") or mo["en"][key]
        base_en = re.sub(r"\s+(Province|Governorate|District|Oblast|Region|Muhafazat)$", "", en).strip()
        entities.append([eid, "LOC", "province", en, "", cc, "GeoNames admin1 " + key])
        cand = [("en", en), ("en", base_en), ("en", base_en + " Province"),
                ("en", base_en + " Governorate") if cc in ("IQ", "SY", "YE", "LB") else ("en", "")]
        for l in ("fa", "ar", "ru"):
            if key in mo[l]:
                nm = clean_name(mo[l][key], l)
                if not nm:
                    continue
                bare = re.sub(r"^(استان|محافظة|ولایت|منطقة)\s+", "", nm)
                cand.append((l, nm))
                cand.append((l, bare))
                if l == "fa":
                    cand.append((l, ("ولایت " if cc == "AF" else "استان ") + bare))
                if l == "ar":
                    cand.append((l, "محافظة " + bare))
        first = set()
        for l, nm in cand:
            if not nm:
                continue
            kind = "canonical" if l not in first else "alias"
            first.add(l)
            names.append(Name(eid, nm, l, kind, PRIO_PROVINCE, "fold", 0, "geonames"))

    # ----------------------------------------------------------- precision filters
    ent_pop = {f"geonames:{c['id']}": c["pop"] * (10 if c["id"] in capitals else 1) for c in cities}
    kept = []
    for n in names:
        k = fold(n.name)
        if letters(n.name) <= 2 and n.name not in SHORT_OK:
            log.append(f"drop short\t{n.id}\t{n.lang}\t{n.name}")
            continue
        if k in drops.get(n.id, ()):
            log.append(f"drop overlay\t{n.id}\t{n.lang}\t{n.name}")
            continue
        if k in country_keys:
            log.append(f"drop = country name\t{n.id}\t{n.lang}\t{n.name}")
            continue
        if n.lang == "en" and k in exact:
            n.case = "exact"
        if k in stop and n.source != "curated":
            n.ambiguous = 1
            log.append(f"ambiguous (stoplist {stop[k]})\t{n.id}\t{n.lang}\t{n.name}")
        kept.append(n)
    names = dedupe_names(kept)

    # one key, several places: keep the key on the biggest place (capitals x10)
    # unless the others are at least a third of its size; provinces lose to cities.
    by_key = defaultdict(set)
    for n in names:
        by_key[fold(n.name)].add(n.id)
    weight = lambda i: ent_pop.get(i, 0)  # noqa: E731 (provinces weigh 0)
    loser = set()
    for k, ids in by_key.items():
        if len(ids) < 2:
            continue
        best = max(ids, key=lambda i: (weight(i), i))
        for i in ids:
            if i != best and weight(i) * 3 < weight(best) or (i != best and weight(i) == 0):
                loser.add((k, i))
    final = []
    for n in names:
        if (fold(n.name), n.id) in loser:
            log.append(f"drop shared with bigger place\t{n.id}\t{n.lang}\t{n.name}")
            continue
        final.append(n)
    names = final
    have = {n.id for n in names}
    entities = [e for e in entities if e[0] in have]

    out = Path(a.out)
    hdr = ["Generated by tools/gen_cities.py. Contains data from GeoNames (geonames.org), filtered and",
           "normalised (Debian geonames 0.3.0-1, CC BY 4.0), and CLDR cldr-dates-full "
           f"{cldr_ver} time-zone city names (Unicode licence). Do not edit by hand."]
    write_tsv(out / "entities.tsv", ENTITY_COLS, entities, hdr)
    order = {l: i for i, l in enumerate(["en", "fa", "ar", "ru", "und"])}
    names.sort(key=lambda n: (n.id, order[n.lang], n.kind != "canonical"))
    write_tsv(out / "names.tsv", NAME_COLS, [n.row() for n in names], hdr)
    logf = Path(a.out).parent.parent / "tools" / "out" / "cities.log"
    logf.parent.mkdir(exist_ok=True)
    logf.write_text("\n".join(sorted(log)) + "\n", encoding="utf-8")
    print(f"cities: {len(entities)} entities ({len(capitals)} capitals), {len(names)} names -> {out}; "
          f"filter log: {logf}", file=sys.stderr)


if __name__ == "__main__":
    main()
