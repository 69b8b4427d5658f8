#!/usr/bin/env bash
# Spark smoke test: runs examples/spark_pipe.py in local[2] on the samples plus 10,000
# generated documents (and a few bad lines), then checks that `naql tables` on the
# Spark records writes byte for byte the tables of one `naql extract` run over the
# same corpus, and that the tables Spark writes have naql's columns and row counts.
#
# Needs python3 with venv, Java 17 and access to PyPI. Heavy (a JVM, pyspark from
# PyPI): CI runs it only when NAQL_SPARK=1.
#
#   tools/spark-smoke.sh [WORKDIR]
#
# WORKDIR (default: a new temporary directory) receives the corpus and every output;
# the venv goes to NAQL_SPARK_VENV if set (reused when it exists), else WORKDIR/venv.
# NAQL_SPARK_DOCS changes the number of generated documents (default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/naql-spark.XXXXXX")}
mkdir -p "$work"
work=$(cd "$work" && pwd)
venv=${NAQL_SPARK_VENV:-$work/venv}
docs=${NAQL_SPARK_DOCS:-10000}

echo "== venv with pyspark in $venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check pyspark
java -version 2>&1 | head -1

echo "== naql release build"
cargo build --release --quiet
target=${CARGO_TARGET_DIR:-$repo/target}
naql=$(cd "$target/release" && pwd)/naql

echo "== corpus: the samples plus $docs generated documents"
python3 - "$work/corpus.jsonl" "$docs" <<'PY'
import glob, json, random, sys
out, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(10)
records = []
for path in sorted(glob.glob("samples/*.txt")):
    with open(path, encoding="utf-8") as f:
        records.append({"doc_id": path.split("/")[-1], "text": f.read()})
with open("samples/news.jsonl", encoding="utf-8") as f:
    records += [json.loads(line) for line in f if line.strip()]
paragraphs = {}
with open("dev/quotes/docs.jsonl", encoding="utf-8") as f:
    for line in f:
        doc = json.loads(line)
        for p in doc["text"].split("\n"):
            if len(p.strip()) > 40:
                paragraphs.setdefault(doc["lang"], []).append(p)
langs = sorted(paragraphs)
for i in range(count):
    lang = langs[i % len(langs)]
    text = "\n\n".join(rng.choice(paragraphs[lang]) for _ in range(rng.randint(2, 8)))
    records.append({"doc_id": f"gen-{i:05d}", "lang": lang, "title": f"generated {i}",
                    "published_at": "2023-09-19", "text": text})
lines = [json.dumps(r, ensure_ascii=False) for r in records]
# What a distributed run must still get right: a malformed line, a record without
# text, one without an id, an id repeated far from its first use, a blank line.
lines.insert(len(lines) // 3, '{"doc_id": "broken", "text": "Moscow')
lines.insert(len(lines) // 2, '{"doc_id": "no-text"}')
lines.insert(2 * len(lines) // 3, '{"text": "Lavrov met Zakharova in Moscow."}')
lines.insert(len(lines) - 5, json.dumps({"doc_id": "gen-00007", "text": "again"}))
lines.insert(len(lines) - 9, "")
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
PY
wc -lc "$work/corpus.jsonl"

now() { date +%s.%N; }

echo "== single run: naql extract --threads 2"
rm -rf "$work/single"
t0=$(now)
"$naql" extract - --threads 2 --out "$work/single" < "$work/corpus.jsonl" || [ $? -eq 1 ]
t1=$(now)

echo "== Spark local[2]"
rm -rf "$work/spark"
t2=$(now)
"$venv/bin/python" examples/spark_pipe.py --naql "$naql" --input "$work/corpus.jsonl" \
    --out "$work/spark" --master 'local[2]' --tables csv 2> "$work/spark.log" \
    || { tail -40 "$work/spark.log"; exit 1; }
t3=$(now)

echo "== naql tables on the Spark records"
rm -rf "$work/merged"
"$naql" tables --from "$work/spark/records" --out "$work/merged" || [ $? -eq 1 ]
t4=$(now)

status=0
for table in documents mentions entities quotes; do
    if cmp -s "$work/single/$table.csv" "$work/merged/$table.csv"; then
        echo "same: $table.csv ($(wc -c < "$work/single/$table.csv") bytes)"
    else
        echo "DIFFERENT: $table.csv"
        diff "$work/single/$table.csv" "$work/merged/$table.csv" | head -5 | cut -c1-300
        status=1
    fi
done
python3 - "$work" <<'PY' || status=1
import csv, glob, json, sys
work = sys.argv[1]
counts = [json.load(open(f"{work}/{d}/manifest.json"))["counts"] for d in ("single", "merged")]
print("manifest counts:", "same" if counts[0] == counts[1] else f"DIFFERENT {counts}")
ok = counts[0] == counts[1]
# The tables Spark writes itself have naql's columns (the example declares them for
# its schema) and, on this corpus, as many rows.
for table in ("documents", "mentions", "entities", "quotes"):
    with open(f"{work}/single/{table}.csv", newline="", encoding="utf-8") as f:
        want = list(csv.reader(f))
    parts = glob.glob(f"{work}/spark/tables/{table}/part-*.csv")
    with open(parts[0], newline="", encoding="utf-8") as f:
        got = list(csv.reader(f))
    same_header = want[0] == got[0]
    print(f"spark {table}: header {'same' if same_header else 'DIFFERENT'}, "
          f"{len(got) - 1} rows (single run: {len(want) - 1})")
    ok = ok and same_header and len(got) == len(want)
sys.exit(0 if ok else 1)
PY

awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" 'BEGIN {
    printf "wall time: naql extract --threads 2 %.1f s; Spark local[2] %.1f s; naql tables %.1f s\n",
        b - a, d - c, e - d }'
[ "$status" -eq 0 ] && echo "spark smoke test passed ($work)" || echo "spark smoke test FAILED ($work)"
exit "$status"
