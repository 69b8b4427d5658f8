#!/usr/bin/env python3
"""Plain exact-lookup baseline for `naql eval ner`.

Builds a dictionary of every tagged token sequence of the training sentences (exact
token strings, no normalisation), each with its most frequent type, then tags the test
sentences by greedy leftmost-longest lookup of whole tokens, and scores entity by entity
(exact token range and type) as `naql eval ner` does. This is the usual dictionary
baseline (CoNLL-2003 reports one like it), the floor a gazetteer tool has to beat.

Reads files the way naql does: tag in the last column (tab-separated when the line has a
tab, else space-separated), blank line between sentences, -DOCSTART- lines skipped,
UTF-8 BOM and CRLF accepted, BIO, IOB1 and BIOES tags; sentences are numbered from 1
across the files given, and --train-sentences / --test-sentences select them as
naql's --sentences does (N, N-M, N-, -M).

    python3 tools/plain_lookup.py --train TRAIN.conll --test TEST.conll [--map newsfane]
    python3 tools/plain_lookup.py --train ALL.txt --train-sentences 1-2380 \
        --test ALL.txt --test-sentences 2381- --map newsfane

--map takes the same values as naql's: TAG=TYPE pairs (TYPE one of PER, ORG, LOC, O)
and the preset `newsfane`, read from src/eval/ner/newsfane.tsv.
"""
import argparse
import collections
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NEWSFANE = ROOT / "src" / "eval" / "ner" / "newsfane.tsv"
TYPES = ("PER", "ORG", "LOC")


def default_map():
    m = {}
    for tags, t in ((("PER", "PERS", "per", "pers"), "PER"), (("ORG", "org"), "ORG"),
                    (("LOC", "GPE", "loc", "gpe"), "LOC")):
        for tag in tags:
            m[tag] = t
    return m


def parse_type(value):
    value = value.strip().upper()
    if value in TYPES:
        return value
    if value in ("O", "-", "NONE"):
        return None
    sys.exit(f"bad type {value!r} (PER, ORG, LOC or O)")


def apply_map(m, spec):
    for item in (i.strip() for i in spec.split(",")):
        if not item:
            continue
        if "=" in item:
            tag, value = item.split("=", 1)
            m[tag.strip()] = parse_type(value)
        elif item.lower() == "newsfane":
            lines = [l for l in NEWSFANE.read_text(encoding="utf-8").splitlines()
                     if l and not l.startswith("#")]
            for line in lines[1:]:
                tag, value = line.split("\t")
                m[tag] = parse_type(value)
        else:
            sys.exit(f"bad --map item {item!r}")


def parse_range(value):
    if value is None:
        return (1, float("inf"))
    if "-" in value:
        a, b = value.split("-", 1)
        return (int(a) if a else 1, int(b) if b else float("inf"))
    return (int(value), int(value))


def read_sentences(paths, selected):
    """Sentences (lists of (token, tag)) numbered across files, those in `selected`."""
    number = 0
    out = []
    for path in paths:
        text = pathlib.Path(path).read_text(encoding="utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        sentence = []

        def finish():
            nonlocal number, sentence
            if sentence:
                number += 1
                if selected[0] <= number <= selected[1]:
                    out.append(sentence)
            sentence = []

        for line in text.split("\n"):
            line = line[:-1] if line.endswith("\r") else line
            if not line.strip(" \t"):
                finish()
                continue
            fields = line.split("\t") if "\t" in line else line.split()
            if fields[0] == "-DOCSTART-":
                finish()
                continue
            sentence.append((fields[0], fields[-1].strip()))
        finish()
    return out


def split_tag(tag):
    if tag in ("O", "o", "_", "-", ""):
        return None, ""
    if len(tag) > 2 and tag[1] == "-" and tag[0].upper() in "BIESLU":
        return tag[0].upper(), tag[2:]
    return "I", tag


def tagged_spans(tags):
    """(start, end, tag type) of a sentence's tags: B- starts, I- continues the same
    type (else starts), E-/L- continue and end, S-/U- are single tokens."""
    spans = []
    open_ = False
    for i, tag in enumerate(tags):
        prefix, t = split_tag(tag)
        if prefix is None:
            open_ = False
            continue
        continues = open_ and spans[-1][2] == t and spans[-1][1] == i
        if prefix in "IEL" and continues:
            spans[-1][1] = i + 1
        else:
            spans.append([i, i + 1, t])
            open_ = True
        if prefix in "ELSU":
            open_ = False
    return [tuple(s) for s in spans]


def gold(sentence, tag_map):
    spans = tagged_spans([tag for _, tag in sentence])
    return [(a, b, tag_map[t]) for a, b, t in spans if tag_map.get(t)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", nargs="+", required=True)
    ap.add_argument("--test", nargs="+", required=True)
    ap.add_argument("--train-sentences")
    ap.add_argument("--test-sentences")
    ap.add_argument("--map", action="append", default=[])
    ap.add_argument("--types", default="PER,ORG,LOC")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tag_map = default_map()
    for spec in args.map:
        apply_map(tag_map, spec)
    types = [parse_type(t) for t in args.types.split(",")]

    votes = collections.defaultdict(collections.Counter)
    for sentence in read_sentences(args.train, parse_range(args.train_sentences)):
        tokens = [tok for tok, _ in sentence]
        for a, b, t in gold(sentence, tag_map):
            votes[tuple(tokens[a:b])][t] += 1
    # Most frequent type; ties broken PER, ORG, LOC.
    lexicon = {k: max(TYPES, key=lambda t: (c[t], -TYPES.index(t))) for k, c in votes.items()}
    longest = max((len(k) for k in lexicon), default=0)

    counts = {t: collections.Counter() for t in types}
    test = read_sentences(args.test, parse_range(args.test_sentences))
    for sentence in test:
        tokens = [tok for tok, _ in sentence]
        found = set()
        i = 0
        while i < len(tokens):
            for n in range(min(longest, len(tokens) - i), 0, -1):
                t = lexicon.get(tuple(tokens[i:i + n]))
                if t:
                    found.add((i, i + n, t))
                    i += n
                    break
            else:
                i += 1
        found = {f for f in found if f[2] in types}
        expected = {g for g in gold(sentence, tag_map) if g[2] in types}
        for t in types:
            counts[t]["gold"] += sum(1 for g in expected if g[2] == t)
            counts[t]["found"] += sum(1 for f in found if f[2] == t)
            counts[t]["correct"] += sum(1 for f in found & expected if f[2] == t)

    def scores(c):
        p = c["correct"] / c["found"] if c["found"] else 0.0
        r = c["correct"] / c["gold"] if c["gold"] else 0.0
        f = 2 * c["correct"] / (c["gold"] + c["found"]) if c["gold"] + c["found"] else 0.0
        return p, r, f

    overall = sum(counts.values(), collections.Counter())
    rows = [(t, counts[t]) for t in types] + [("overall", overall)]
    if args.json:
        out = {}
        for name, c in rows:
            p, r, f = scores(c)
            out[name] = {"gold": c["gold"], "found": c["found"], "correct": c["correct"],
                         "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        print(json.dumps({"sentences": len(test), "lexicon": len(lexicon), "scores": out},
                         ensure_ascii=False, indent=2))
        return
    print(f"{len(test)} test sentences, {len(lexicon)} lexicon entries")
    print(f"{'type':<8} {'gold':>6} {'found':>6} {'correct':>7} {'precision':>9} {'recall':>7} {'f1':>7}")
    for name, c in rows:
        p, r, f = scores(c)
        print(f"{name:<8} {c['gold']:>6} {c['found']:>6} {c['correct']:>7} "
              f"{100 * p:>9.2f} {100 * r:>7.2f} {100 * f:>7.2f}")


if __name__ == "__main__":
    main()
