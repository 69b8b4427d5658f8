"""Reader for tools/curated/country_forms.txt and the inflection rules built on it."""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMS = HERE / "curated" / "country_forms.txt"
COLS = ["iso", "en_adj", "en_people", "fa_adj", "fa_name", "ar_nisba", "ar_name", "ru_adj", "ru_gen"]


def _alts(v: str) -> list[str]:
    v = v.strip()
    return [] if v in ("", "-") else [x.strip() for x in v.split(",") if x.strip()]


def read_forms(path: Path = FORMS) -> dict[str, dict]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.rstrip("\n").split(" | ")]
            if len(parts) != len(COLS):
                raise SystemExit(f"{path}:{lineno}: expected {len(COLS)} columns, got {len(parts)}")
            row = {c: _alts(p) for c, p in zip(COLS, parts)}
            iso = parts[0]
            row["iso"] = iso
            row["ar_plural"] = not any(x.endswith("!") for x in row["ar_nisba"])
            row["ar_nisba"] = [x.rstrip("!") for x in row["ar_nisba"]]
            if iso in out:
                raise SystemExit(f"{path}:{lineno}: duplicate {iso}")
            out[iso] = row
    return out


def ar_article(word: str) -> str:
    """Arabic definite article on the first word of a phrase (جنوب أفريقي -> الجنوب..., not used)."""
    return "ال" + word


def ar_nisba_forms(nisba: str, plural: bool) -> list[str]:
    """روسي -> روسي, روسية, الروسي, الروسية (+ sound plurals)."""
    words = nisba.split(" ")
    if len(words) > 1:
        # two-word nisba (كوري جنوبي): inflect every word the same way
        fem = " ".join(w + "ة" for w in words)
        return [nisba, fem, " ".join("ال" + w for w in words), " ".join("ال" + w + "ة" for w in words)]
    forms = [nisba, nisba + "ة", "ال" + nisba, "ال" + nisba + "ة"]
    if plural:
        forms += [nisba + "ين", nisba + "ون", "ال" + nisba + "ين", "ال" + nisba + "ون"]
    return forms


_RU_KIJ = ["ий", "ая", "ое", "ие", "ого", "ой", "ую", "ом", "ому", "им", "ими", "их"]


def ru_adj_forms(adj: str) -> list[str]:
    """российский -> российский, российская, российское, российские, российского, ..."""
    if not adj.endswith("кий"):
        return [adj]
    stem = adj[:-2]
    return [stem + e for e in _RU_KIJ]
