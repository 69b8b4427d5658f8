"""Shared helpers for the naql gazetteer generators (Python 3.11, stdlib only).

- fold(): an approximation of naql's matching key, used only to find duplicate
  and colliding names at generation time (the Rust normaliser is authoritative).
- read_blocks(): parser for the compact curated source format (see tools/README.md).
- write_tsv(): deterministic TSV writer with the gazetteer headers.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

ENTITY_COLS = ["id", "type", "subtype", "label_en", "wikidata", "country", "note"]
NAME_COLS = ["id", "name", "lang", "kind", "priority", "case", "ambiguous", "source"]
ROLE_COLS = ["lang", "title", "holder_id", "valid_from", "valid_to"]
TRIGGER_COLS = ["lang", "word", "type"]

TYPES = {"PER", "ORG", "LOC"}
LANGS = {"fa", "ar", "en", "ru", "und"}
KINDS = {"canonical", "alias", "short", "surname", "abbrev", "demonym"}
CASES = {"fold", "exact"}
SOURCES = {"cldr", "geonames", "curated"}

_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD_MAP = str.maketrans({
    "ي": "ی", "ى": "ی", "ئ": "ی", "ې": "ی", "ۍ": "ی",
    "ك": "ک", "ڪ": "ک",
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ؤ": "و",
    "\u200c": " ", "\u200d": "", "\u00a0": " ", "\u200f": "", "\u200e": "",
    "ё": "е", "Ё": "е",
})
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def fold(s: str) -> str:
    """Matching-key approximation: letter variants, marks, ZWNJ, digits, case."""
    s = unicodedata.normalize("NFKC", s)
    s = _TASHKEEL.sub("", s)
    s = s.translate(_FOLD_MAP).translate(_DIGITS)
    s = "".join(c for c in unicodedata.normalize("NFD", s)
                if unicodedata.category(c) != "Mn" or "\u0600" <= c <= "\u06ff")
    s = s.casefold()
    return re.sub(r"\s+", " ", s).strip()


def glued(s: str) -> str:
    """Key with spaces removed: قره باغ and قرهباغ compare equal."""
    return fold(s).replace(" ", "")


def letters(s: str) -> int:
    return sum(1 for c in fold(s) if c.isalpha())


def script_of(s: str) -> str:
    """'arab', 'latn', 'cyrl', 'mixed' or 'other' for the letters of s."""
    kinds = set()
    for c in s:
        if not c.isalpha():
            continue
        n = unicodedata.name(c, "")
        if n.startswith("ARABIC"):
            kinds.add("arab")
        elif n.startswith("LATIN"):
            kinds.add("latn")
        elif n.startswith("CYRILLIC"):
            kinds.add("cyrl")
        else:
            kinds.add("other")
    if len(kinds) == 1:
        return kinds.pop()
    return "mixed" if kinds else "other"


LANG_SCRIPT = {"fa": "arab", "ar": "arab", "en": "latn", "ru": "cyrl"}


def clean_field(s: str) -> str:
    s = s.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return re.sub(r" {2,}", " ", s).strip()


class Name:
    __slots__ = ("id", "name", "lang", "kind", "priority", "case", "ambiguous", "source")

    def __init__(self, id, name, lang="und", kind="alias", priority=50, case="fold",
                 ambiguous=0, source="curated"):
        self.id, self.name, self.lang, self.kind = id, clean_field(name), lang, kind
        self.priority, self.case, self.ambiguous, self.source = int(priority), case, int(ambiguous), source

    def row(self):
        return [self.id, self.name, self.lang, self.kind, str(self.priority), self.case,
                str(self.ambiguous), self.source]


KIND_RANK = {"canonical": 0, "alias": 1, "short": 2, "abbrev": 3, "demonym": 4, "surname": 5}


def dedupe_names(names: list[Name]) -> list[Name]:
    """Keep one row per (id, lang, exact name); the first row wins, except that
    ambiguous=1 from any row is kept (a stop-listed name stays ambiguous)."""
    seen: dict[tuple, Name] = {}
    out = []
    for n in names:
        if not n.name:
            continue
        k = (n.id, n.lang, n.name)
        if k in seen:
            if n.ambiguous:
                seen[k].ambiguous = 1
            continue
        seen[k] = n
        out.append(n)
    return out


def write_tsv(path: Path, cols: list[str], rows: list[list[str]], comments: list[str] = ()):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in comments:
            f.write(f"# {c}\n")
        f.write("\t".join(cols) + "\n")
        for r in rows:
            r = [clean_field(str(x)) for x in r]
            f.write("\t".join(r) + "\n")


def read_tsv(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    header = None
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if header is None:
                header = parts
                continue
            rows.append((lineno, dict(zip(header, parts + [""] * (len(header) - len(parts))))))
    return header or [], rows


# ---------------------------------------------------------------- block format
# = id | TYPE | subtype | label_en | wikidata | country | note
# en: Name; Other Name/short; AP/abbrev,exact; Fars/amb
# The first name on the first line of a language is canonical unless flagged.

_FLAG_RE = re.compile(r"^(.*?)/([a-z0-9,]+)$")


def parse_name_item(item: str):
    item = item.strip()
    kind, case, amb, prio = None, "fold", 0, None
    m = _FLAG_RE.match(item)
    if m and all(f in KINDS or f in ("amb", "exact") or re.fullmatch(r"p\d{1,3}", f)
                 for f in m.group(2).split(",")):
        item = m.group(1).strip()
        for f in m.group(2).split(","):
            if f in KINDS:
                kind = f
            elif f == "amb":
                amb = 1
            elif f == "exact":
                case = "exact"
            else:
                prio = int(f[1:])
    return item, kind, case, amb, prio


def read_blocks(path: Path, default_priority=50, require_type=True):
    """Yield (entity_dict, [Name...]) from a curated block file."""
    entities = []
    cur = None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path}:{lineno}"
            if line.startswith("="):
                parts = [p.strip() for p in line[1:].split("|")]
                parts += [""] * (7 - len(parts))
                if len(parts) > 7:
                    sys.exit(f"{where}: too many fields in entity line")
                ent = dict(zip(ENTITY_COLS, parts))
                if ent["type"] not in TYPES and (require_type or ent["type"]):
                    sys.exit(f"{where}: bad type {ent['type']!r}")
                cur = (ent, [], set())
                entities.append(cur)
                continue
            m = re.match(r"^(fa|ar|en|ru|und)\s*:\s*(.*)$", line)
            if not m or cur is None:
                sys.exit(f"{where}: expected '= entity' or 'lang: names'")
            lang, rest = m.group(1), m.group(2)
            for item in rest.split(";"):
                if not item.strip():
                    continue
                name, kind, case, amb, prio = parse_name_item(item)
                if kind is None:
                    kind = "canonical" if lang not in cur[2] else "alias"
                cur[2].add(lang)
                cur[1].append(Name(cur[0]["id"], name, lang, kind,
                                   prio if prio is not None else default_priority,
                                   case, amb, "curated"))
    return [(e, n) for e, n, _ in entities]
