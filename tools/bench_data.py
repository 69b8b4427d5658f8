#!/usr/bin/env python3
"""Synthetic gazetteer and corpus for tools/bench.sh.

Writes OUT/gazetteer/{entities,names}.tsv with N names (a third each Persian, Arabic
and Latin, two or three parts drawn from the name parts below, PER/LOC/ORG in turn),
OUT/corpus.jsonl of about MB megabytes (the two sample articles and generated news
sentences naming gazetteer entries, in Persian, Arabic and English), and OUT/tiny.txt.
Deterministic for the same arguments.
"""
import argparse
import json
import pathlib
import random

FA_PARTS = ["زا", "خا", "رو", "وا", "مح", "مد", "رضا", "کا", "ظم", "پور", "نی", "گل", "شی", "دا", "بر", "سی", "یان", "فر", "بهـ", "منـ"]
AR_PARTS = ["عب", "دال", "له", "حس", "ين", "مح", "مود", "سا", "لم", "فا", "طمة", "نا", "صر", "كر", "يم", "جا", "سم", "وي", "زيـ", "هـا"]
EN_PARTS = ["ka", "ro", "mi", "len", "dor", "sa", "vik", "tor", "ma", "ria", "zel", "ben", "ford", "ton", "ash", "ley", "gar", "nes", "ul", "bri"]
SENTENCES = {
    "fa": ["{a} روز سه‌شنبه در دیدار با {b} گفت که همکاری‌ها ادامه خواهد یافت.",
           "به گزارش خبرگزاری‌ها، {a} از سفر {b} به {c} خبر داد.",
           "{a} در نشستی خبری گفت: «ما با {b} در تماس هستیم.»"],
    "ar": ["وقال {a} في مؤتمر صحفي إن {b} ستشارك في الاجتماع المقبل.",
           "أكدت {a} أن المحادثات مع {b} في {c} كانت بناءة.",
           "وأضاف {a}، أن الوفد سيزور {b} الأسبوع المقبل."],
    "en": ["{a} said on Tuesday that talks with {b} would resume in {c}.",
           "\"We are ready,\" {a} told reporters after meeting {b}.",
           "According to {a}, the delegation from {b} arrived late."],
}


def name(rng, parts):
    word = lambda: "".join(rng.choice(parts) for _ in range(rng.randint(2, 3))).replace("ـ", "")
    return " ".join(word() for _ in range(rng.choice([2, 2, 3])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--names", type=int, required=True)
    ap.add_argument("--mb", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, help="random seed (default: the number of names)")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    (out / "gazetteer").mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.names if args.seed is None else args.seed)
    names = {"fa": [], "ar": [], "en": []}
    with open(out / "gazetteer/entities.tsv", "w", encoding="utf-8") as e, \
         open(out / "gazetteer/names.tsv", "w", encoding="utf-8") as n:
        e.write("id\ttype\tlabel_en\n")
        n.write("id\tname\tlang\tkind\n")
        for i in range(args.names):
            lang, parts = [("fa", FA_PARTS), ("ar", AR_PARTS), ("en", EN_PARTS)][i % 3]
            written = name(rng, parts)
            if lang == "en":
                written = written.title()
            names[lang].append(written)
            e.write(f"b:{i}\t{['PER', 'LOC', 'ORG'][i // 3 % 3]}\t{written if lang == 'en' else ''}\n")
            n.write(f"b:{i}\t{written}\t{lang}\tcanonical\n")
    root = pathlib.Path(__file__).resolve().parent.parent
    samples = [(root / "samples" / f).read_text(encoding="utf-8") for f in
               ("fa_zakharova_karabakh.txt", "ar_zakharova_karabakh.txt")]
    target = int(args.mb * 1e6)
    written_bytes = 0
    doc = 0
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as corpus:
        while written_bytes < target:
            if doc % 10 < 2:
                text = samples[doc % 2]
            else:
                lang = ["fa", "ar", "en"][doc % 3]
                pool = names[lang] or ["x"]
                text = " ".join(rng.choice(SENTENCES[lang]).format(a=rng.choice(pool), b=rng.choice(pool), c=rng.choice(pool))
                                for _ in range(rng.randint(8, 20)))
            line = json.dumps({"doc_id": f"d{doc}", "text": text}, ensure_ascii=False) + "\n"
            corpus.write(line)
            written_bytes += len(line.encode("utf-8"))
            doc += 1
    (out / "tiny.txt").write_text(names["fa"][0] if names["fa"] else "x", encoding="utf-8")
    print(f"{args.names} names, {doc} documents, {written_bytes / 1e6:.1f} MB in {out}")


if __name__ == "__main__":
    main()
