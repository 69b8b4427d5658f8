#!/usr/bin/env python3
"""Rough gazetteer scan of plain-text files, for curating the data (not naql's matcher).

Usage: python3 tools/scan_text.py [--gazetteers gazetteers] [--show-ambiguous] FILE...

Splits the text into words, folds them like tools/gazlib.fold, and looks up
word n-grams (also glued: قره باغ = قرهباغ) in all gazetteer names. Arabic
proclitics (و ف ب ل ك ال لل and combinations) and Persian plural/ezafe endings
are stripped when the rest is a name. Ambiguous names count only after a
trigger word. Prints one line per match: file, words, entity ids, label.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazlib import fold, read_tsv  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[\w\u200c\u0610-\u061a\u064b-\u065f\u0670'’.-]+")
CLITICS = sorted({"و", "ف", "ب", "ل", "ک", "ال", "لل", "وال", "بال", "فال", "کال", "وب", "ول", "فب", "فل",
                  "وبال", "ولل", "فلل", "وک", "فک"}, key=len, reverse=True)
SUFFIXES = ["هایی", "های", "ها", "ی", "ای"]


def load(gdir: Path):
    index = defaultdict(list)      # key -> [(id, ambiguous, kind)]
    labels = {}
    triggers = set()
    for d in sorted(p for p in gdir.iterdir() if p.is_dir()):
        _, ents = read_tsv(d / "entities.tsv")
        for _, e in ents:
            labels[e["id"]] = e.get("label_en", "")
        _, names = read_tsv(d / "names.tsv")
        for _, n in names:
            k = fold(n["name"]).replace(".", "")
            if n.get("case") == "exact":
                k = "=" + n["name"]
            index[k].append((n["id"], n.get("ambiguous") == "1", n.get("kind")))
            index.setdefault(k.replace(" ", ""), index[k]) if " " in k else None
        if (d / "triggers.tsv").exists():
            _, tr = read_tsv(d / "triggers.tsv")
            triggers |= {fold(t["word"]) for _, t in tr}
    return index, labels, triggers


def lookup(index, words_raw, words):
    k = " ".join(words)
    hits = index.get("=" + " ".join(words_raw)) or index.get(k) or index.get(k.replace(" ", ""))
    return hits, ""


def scan(text, index, labels, triggers, maxn=8):
    toks = [m for m in WORD.finditer(text)]
    raw = [t.group(0).strip(".-'’") for t in toks]
    keys = [fold(r).replace(".", "") for r in raw]
    i, out = 0, []
    while i < len(toks):
        best = None
        for n in range(min(maxn, len(toks) - i), 0, -1):
            ws, wr = keys[i:i + n], raw[i:i + n]
            hits, how = lookup(index, wr, ws)
            if not hits:
                for c in CLITICS:          # proclitic on the first word
                    if ws[0].startswith(c) and len(ws[0]) > len(c) + 1:
                        hits, _ = lookup(index, [wr[0][len(c):]] + wr[1:], [ws[0][len(c):]] + ws[1:])
                        if hits:
                            how = c + "+"
                            break
            if not hits:
                for s in SUFFIXES:         # Persian ending on the last word
                    if ws[-1].endswith(s) and len(ws[-1]) > len(s) + 1 and s not in ("ی",):
                        hits, _ = lookup(index, wr[:-1] + [wr[-1][:-len(s)]], ws[:-1] + [ws[-1][:-len(s)]])
                        if hits:
                            how = "+" + s
                            break
            if hits:
                amb = all(a for _, a, _ in hits)
                if amb:
                    prev = " ".join(keys[max(0, i - 2):i])
                    if not any(prev.endswith(t) for t in triggers):
                        continue
                best = (n, hits, how)
                break
        if best:
            n, hits, how = best
            ids = sorted({h[0] for h in hits})
            kinds = sorted({h[2] for h in hits})
            out.append((" ".join(raw[i:i + n]), how, ids, kinds))
            i += n
        else:
            i += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gazetteers", default=str(REPO / "gazetteers"))
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    index, labels, triggers = load(Path(a.gazetteers))
    for f in a.files:
        for text, how, ids, kinds in scan(Path(f).read_text(encoding="utf-8"), index, labels, triggers):
            print(f"{Path(f).name}\t{text}\t{how}\t{','.join(ids)}\t{','.join(kinds)}\t"
                  f"{'; '.join(labels.get(i, '') for i in ids)}")


if __name__ == "__main__":
    main()
