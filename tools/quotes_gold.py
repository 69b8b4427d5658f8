#!/usr/bin/env python3
"""Builds and checks the quote dev set: dev/quotes/articles/** -> docs.jsonl, gold.jsonl.

The articles are written with inline markup (see dev/quotes/README.md); this script
strips the markup, computes code-point offsets and validates every annotation.

Run from anywhere:
    python3 tools/quotes_gold.py          # validate, then rewrite docs.jsonl and gold.jsonl
    python3 tools/quotes_gold.py --check  # validate and fail if the JSONL files are stale
    python3 tools/quotes_gold.py --stats  # validate and print counts per language and type

Exit status 1 on any annotation error (each printed as FILE:LINE:COLUMN: message).
"""
import argparse
import collections
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEV = ROOT / "dev" / "quotes"
ARTICLES = DEV / "articles"
LANGS = ("fa", "ar", "en")
STATEMENT_TYPES = ("direct", "mixed", "indirect", "headline")
TYPES = STATEMENT_TYPES + ("not_a_quote",)
HEADER_KEYS = ("published_at", "source", "note")

KEY = r"[A-Za-z0-9_-]+"
QUOTE_TAG = re.compile(r"Q:(?P<type>[a-z_]+)(?P<odd>!)?(?:#(?P<key>%s))?(?:=(?P<label>.+))?" % KEY)
NOT_A_QUOTE_TAG = re.compile(r"N(?::(?P<note>.*))?")
SPEAKER_TAG = re.compile(r"S#(?P<keys>%s(?:,%s)*)(?:=(?P<label>.+))?" % (KEY, KEY))
CUE_TAG = re.compile(r"C#(?P<keys>%s(?:,%s)*)" % (KEY, KEY))

# Marks that open and close a direct quote; a direct span normally sits right inside a pair.
OPENING_MARKS = "«“\"„‹‘'"
CLOSING_MARKS = "»”\"“›’'"


class AnnotationError(Exception):
    pass


class Tag:
    """One [[...|...]] element: its kind, attributes and span in the plain text."""

    def __init__(self, kind, where, **attrs):
        self.kind = kind
        self.where = where
        self.start = None
        self.end = None
        self.__dict__.update(attrs)


def location(path, body_line, source, index):
    """FILE:LINE:COLUMN of `index` in the marked-up body."""
    before = source[:index]
    line = body_line + before.count("\n")
    column = index - (before.rfind("\n") + 1) + 1
    return f"{path.relative_to(ROOT)}:{line}:{column}"


def parse_header(path, raw):
    """`@key: value` lines, then one blank line, then the body."""
    meta = {}
    lines = raw.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith("@"):
        match = re.fullmatch(r"@([a-z_]+):\s*(.*)", lines[i])
        if not match or match.group(1) not in HEADER_KEYS:
            raise AnnotationError(f"{path.relative_to(ROOT)}:{i + 1}: bad header line {lines[i]!r} (keys: {', '.join(HEADER_KEYS)})")
        meta[match.group(1)] = match.group(2).strip()
        i += 1
    if i == 0 or i >= len(lines) or lines[i] != "":
        raise AnnotationError(f"{path.relative_to(ROOT)}:{i + 1}: expected @header lines, then one blank line, then the text")
    body = "\n".join(lines[i + 1:])
    # Editors end files with a newline; the text does not.
    if body.endswith("\n"):
        body = body[:-1]
    return meta, body, i + 2


def parse_tag(header, where):
    match = QUOTE_TAG.fullmatch(header)
    if match:
        if match.group("type") not in STATEMENT_TYPES:
            raise AnnotationError(f"{where}: unknown quote type {match.group('type')!r} (use {', '.join(STATEMENT_TYPES)}, or N for not_a_quote)")
        return Tag("Q", where, type=match.group("type"), odd=bool(match.group("odd")),
                   key=match.group("key"), label=(match.group("label") or "").strip() or None)
    match = NOT_A_QUOTE_TAG.fullmatch(header)
    if match:
        return Tag("N", where, type="not_a_quote", note=match.group("note"))
    match = SPEAKER_TAG.fullmatch(header)
    if match:
        return Tag("S", where, keys=match.group("keys").split(","), label=(match.group("label") or "").strip() or None)
    match = CUE_TAG.fullmatch(header)
    if match:
        return Tag("C", where, keys=match.group("keys").split(","))
    raise AnnotationError(f"{where}: cannot read tag [[{header}|: expected Q:TYPE[!][#KEY][=LABEL], N[:NOTE], S#KEYS[=LABEL] or C#KEYS")


def strip_markup(path, body, body_line):
    """The plain text and the tags with their spans."""
    out = []
    out_len = 0
    stack = []
    tags = []
    i = 0
    while i < len(body):
        if body.startswith("[[", i):
            bar = body.find("|", i + 2)
            newline = body.find("\n", i + 2)
            where = location(path, body_line, body, i)
            if bar < 0 or (0 <= newline < bar):
                raise AnnotationError(f"{where}: [[ without | on the same line")
            tag = parse_tag(body[i + 2:bar], where)
            tag.start = out_len
            stack.append(tag)
            i = bar + 1
        elif body.startswith("]]", i):
            if not stack:
                raise AnnotationError(f"{location(path, body_line, body, i)}: ]] closes nothing")
            tag = stack.pop()
            tag.end = out_len
            tags.append(tag)
            i += 2
        else:
            out.append(body[i])
            out_len += 1
            i += 1
    if stack:
        raise AnnotationError(f"{stack[-1].where}: tag never closed with ]]")
    return "".join(out), tags


def overlaps(a, b):
    return a.start < b.end and b.start < a.end


def inside(inner, outer):
    return outer.start <= inner.start and inner.end <= outer.end


def check_spans(text, tags, errors):
    for tag in tags:
        span = text[tag.start:tag.end]
        if not span:
            errors.append(f"{tag.where}: empty span")
        elif span != span.strip():
            errors.append(f"{tag.where}: span {span!r} starts or ends with white space")
    quotes = sorted((t for t in tags if t.kind == "Q"), key=lambda t: t.start)
    for a, b in zip(quotes, quotes[1:]):
        if overlaps(a, b):
            errors.append(f"{b.where}: statement overlaps the statement at {a.where}")
    terms = sorted((t for t in tags if t.kind == "N"), key=lambda t: t.start)
    for a, b in zip(terms, terms[1:]):
        if overlaps(a, b):
            errors.append(f"{b.where}: not_a_quote overlaps the one at {a.where}")
    for term in terms:
        for quote in quotes:
            if overlaps(term, quote) and not inside(term, quote):
                errors.append(f"{term.where}: not_a_quote crosses the boundary of the statement at {quote.where}")
    for quote in quotes:
        if quote.type != "direct" or quote.odd:
            continue
        before = text[quote.start - 1] if quote.start > 0 else ""
        after = text[quote.end] if quote.end < len(text) else ""
        if not before or before not in OPENING_MARKS or not after or after not in CLOSING_MARKS:
            errors.append(f"{quote.where}: direct quote not right inside quote marks "
                          f"(found {before!r} ... {after!r}); mark unusual ones Q:direct!")


def link(tags, errors):
    """Speaker and cue tags for each statement key; labels filled in from speakers."""
    by_key = {}
    for tag in tags:
        if tag.kind == "Q":
            tag.speaker = None
            tag.cue = None
            if tag.key is not None:
                if tag.key in by_key:
                    errors.append(f"{tag.where}: statement key #{tag.key} used twice")
                by_key[tag.key] = tag
    for tag in tags:
        if tag.kind not in "SC":
            continue
        for key in tag.keys:
            quote = by_key.get(key)
            if quote is None:
                errors.append(f"{tag.where}: no statement has key #{key}")
                continue
            slot = "speaker" if tag.kind == "S" else "cue"
            if getattr(quote, slot) is not None:
                errors.append(f"{tag.where}: statement #{key} already has a {slot}")
            setattr(quote, slot, tag)
            if overlaps(tag, quote):
                errors.append(f"{tag.where}: {slot} overlaps its own statement #{key}")
    for tag in tags:
        if tag.kind != "Q":
            continue
        if tag.label is None and tag.speaker is not None:
            tag.label = tag.speaker.label
        if tag.label is None:
            errors.append(f"{tag.where}: statement without a speaker label (Q:{tag.type}#KEY=Label or S#KEY=Label)")


def gold_rows(doc_id, text, tags):
    rows = []
    for tag in sorted((t for t in tags if t.kind in "QN"), key=lambda t: (t.start, -t.end)):
        speaker = getattr(tag, "speaker", None)
        cue = getattr(tag, "cue", None)
        rows.append({
            "doc_id": doc_id,
            "type": tag.type,
            "quote_start": tag.start,
            "quote_end": tag.end,
            "speaker_start": speaker.start if speaker else None,
            "speaker_end": speaker.end if speaker else None,
            "speaker_resolved": tag.label if tag.kind == "Q" else None,
            "cue_start": cue.start if cue else None,
            "cue_end": cue.end if cue else None,
            "quote_text": text[tag.start:tag.end],
            "speaker_text": text[speaker.start:speaker.end] if speaker else None,
            "cue_text": text[cue.start:cue.end] if cue else None,
        })
    return rows


def build():
    """(docs, gold rows, errors) for every article."""
    docs, gold, errors = [], [], []
    seen = {}
    for lang in LANGS:
        for path in sorted((ARTICLES / lang).glob("*.txt")):
            doc_id = path.stem
            if doc_id in seen:
                errors.append(f"{path.relative_to(ROOT)}: doc_id {doc_id} also used by {seen[doc_id]}")
            seen[doc_id] = path.relative_to(ROOT)
            try:
                meta, body, body_line = parse_header(path, path.read_text(encoding="utf-8"))
                text, tags = strip_markup(path, body, body_line)
            except AnnotationError as err:
                errors.append(str(err))
                continue
            doc_errors = []
            check_spans(text, tags, doc_errors)
            link(tags, doc_errors)
            if "source" in meta:
                original = (ROOT / meta["source"]).read_text(encoding="utf-8")
                if original != text:
                    at = next((i for i, (a, b) in enumerate(zip(original, text)) if a != b),
                              min(len(original), len(text)))
                    doc_errors.append(f"{path.relative_to(ROOT)}: text differs from {meta['source']} "
                                      f"at code point {at}: {original[at:at + 30]!r} vs {text[at:at + 30]!r}")
            errors.extend(doc_errors)
            doc = {"doc_id": doc_id, "lang": lang, "text": text}
            if "published_at" in meta:
                doc["published_at"] = meta["published_at"]
            docs.append(doc)
            gold.extend(gold_rows(doc_id, text, tags))
    return docs, gold, errors


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def stats(docs, gold):
    lang_of = {d["doc_id"]: d["lang"] for d in docs}
    articles = collections.Counter(d["lang"] for d in docs)
    counts = collections.Counter((lang_of[r["doc_id"]], r["type"]) for r in gold)
    dropped = collections.Counter(lang_of[r["doc_id"]] for r in gold
                                  if r["type"] != "not_a_quote" and r["speaker_start"] is None)
    print("lang  articles  " + "  ".join(f"{t:>11}" for t in TYPES) + "  statements  no-speaker-span")
    for lang in LANGS + ("all",):
        langs = LANGS if lang == "all" else (lang,)
        row = [sum(counts[(l, t)] for l in langs) for t in TYPES]
        print(f"{lang:<4}  {sum(articles[l] for l in langs):>8}  " + "  ".join(f"{n:>11}" for n in row)
              + f"  {sum(row[:4]):>10}  {sum(dropped[l] for l in langs):>15}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if docs.jsonl or gold.jsonl is stale")
    parser.add_argument("--stats", action="store_true", help="print counts per language and type")
    args = parser.parse_args()
    docs, gold, errors = build()
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print(f"{len(errors)} annotation errors", file=sys.stderr)
        return 1
    outputs = {DEV / "docs.jsonl": jsonl(docs), DEV / "gold.jsonl": jsonl(gold)}
    if args.check:
        stale = [p for p, content in outputs.items()
                 if not p.is_file() or p.read_text(encoding="utf-8") != content]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python3 tools/quotes_gold.py", file=sys.stderr)
        if stale:
            return 1
    else:
        for path, content in outputs.items():
            path.write_text(content, encoding="utf-8")
    if args.stats:
        stats(docs, gold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
