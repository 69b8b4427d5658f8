#!/usr/bin/env python3
"""Regenerates the encoding and malformed-input fixtures under tests/data/.

Run from the repository root: python3 tools/make_test_fixtures.py
The fixtures are committed; tests never run this script.
"""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
data = root / "tests" / "data"
fa = (root / "samples" / "fa_zakharova_karabakh.txt").read_text(encoding="utf-8")
ar = (root / "samples" / "ar_zakharova_karabakh.txt").read_text(encoding="utf-8")

# One paragraph of each sample.
fa_par = next(p for p in fa.split("\n") if p.startswith("به گزارش راهبرد معاصر"))
ar_par = next(p for p in ar.split("\n") if p.startswith("صرحت ماريا زاخاروفا"))

enc = data / "encodings"
enc.mkdir(parents=True, exist_ok=True)
# Windows-1256 has no Persian yeh (U+06CC) or ZWNJ-free forms of everything; old
# Persian archives wrote Arabic yeh, so the fixture does too.
fa_1256 = fa_par.replace("\u06cc", "\u064a")
(enc / "fa_windows1256.txt").write_bytes(fa_1256.encode("cp1256"))
(enc / "fa_windows1256.expected").write_text(fa_1256, encoding="utf-8")
(enc / "ar_windows1256.txt").write_bytes(ar_par.encode("cp1256"))
(enc / "ar_windows1256.expected").write_text(ar_par, encoding="utf-8")
(enc / "fa_utf16le_bom.txt").write_bytes(b"\xff\xfe" + fa_par.encode("utf-16-le"))
(enc / "fa_utf16be_bom.txt").write_bytes(b"\xfe\xff" + fa_par.encode("utf-16-be"))
(enc / "fa_utf8_bom.txt").write_bytes(b"\xef\xbb\xbf" + fa_par.encode("utf-8"))
(enc / "fa.expected").write_text(fa_par, encoding="utf-8")
en = "Russian Foreign Ministry spokeswoman Maria Zakharova said Moscow was in contact with Baku."
(enc / "en_utf16le_nobom.txt").write_bytes(en.encode("utf-16-le"))
(enc / "en.expected").write_text(en, encoding="utf-8")

bad = data / "bad"
bad.mkdir(parents=True, exist_ok=True)
(bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
broken = fa_par.encode("utf-8")
cut = broken.index("زاخارووا".encode("utf-8")) + 3  # inside a two-byte letter
(bad / "broken_utf8.txt").write_bytes(broken[:cut] + b"\xff" + broken[cut:])
(bad / "empty.txt").write_bytes(b"")
lines = [
    json.dumps({"doc_id": "good-1", "lang": "fa", "title": "واکنش روسیه", "text": fa_par}, ensure_ascii=False),
    '{"doc_id": "broken-json", "text": "unterminated',
    json.dumps({"doc_id": "no-text", "body": "x"}),
    json.dumps({"doc_id": "null-text", "text": None}),
    json.dumps({"id": 42, "text": "Numeric ids are kept as written.", "extra": {"nested": [1, 2]}}),
    "",
    json.dumps(["not", "an", "object"]),
    json.dumps({"doc_id": "number-text", "text": 7}),
    json.dumps({"doc_id": "good-1", "text": "Same id as line 1."}),
    json.dumps({"text": "No id: FILE:LINE stands in."}),
    json.dumps({"doc_id": {"a": 1}, "text": "x"}),
]
(bad / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
(bad / "missing_column.csv").write_text("doc_id,body\nc1,hello\n", encoding="utf-8")
(bad / "ragged.tsv").write_text(
    "doc_id\ttitle\ttext\n"
    "t1\tTitle one\tMoscow is in contact with Baku.\n"
    "t2\tonly two fields\n"
    "\tno id\tText of a row without id.\n",
    encoding="utf-8",
)
