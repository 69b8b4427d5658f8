#!/usr/bin/env bash
# Instruction counts of `naql extract` by stage, from valgrind's callgrind: unlike wall
# time, they hardly move from one run or one machine to the next, so two builds can be
# compared on a machine whose speed drifts (BENCHMARKS.md, "Instruction counts").
#
# Usage: tools/instructions.sh [MB] [NAMES]       (default: 2 MB, 100000 names)
#
# Makes a synthetic gazetteer of NAMES names and a corpus of MB megabytes with
# tools/bench_data.py (as tools/bench.sh does; kept in $NAQL_BENCH_DIR/instr-nNAMES-MB,
# default a new temporary directory), compiles the gazetteer, and runs
# `naql extract --threads 1` under callgrind. Prints a Markdown table of millions of
# instructions: the whole run less SHA-256 (valgrind's processor has no SHA extensions,
# so sha2 runs its portable code, which would swamp the rest), start-up (reading the
# compiled gazetteer), the per-document pipeline and its largest stages, and encoding
# the rows. Stages inlined into the pipeline have no row of their own.
#
# With NAQL_BASELINE=/path/to/other/naql, that binary is measured on the same input
# too (it compiles its own gazetteer file if it cannot read this build's) and the table
# gives both and the change. The build measured is the plain `cargo build --release`;
# NAQL_BIN=/path/to/naql measures another instead (a profile-guided build, say).
#
# Needs valgrind (Debian: apt-get install valgrind). A 2 MB run takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-2}
names=${2:-100000}
for tool in valgrind callgrind_annotate; do
  if ! command -v "$tool" >/dev/null; then
    echo "instructions.sh: $tool not found (Debian: apt-get install valgrind)" >&2
    exit 1
  fi
done
if [ -n "${NAQL_BIN:-}" ]; then
  naql=$NAQL_BIN
else
  cargo build --release --quiet
  naql=$PWD/target/release/naql
fi
work=${NAQL_BENCH_DIR:-$(mktemp -d)}
dir="$work/instr-n$names-$mb"
mkdir -p "$dir"
if [ ! -s "$dir/corpus.jsonl" ]; then
  python3 tools/bench_data.py --names "$names" --mb "$mb" --out "$dir" >/dev/null
fi

# Stages by the functions callgrind names: label, then the function (or functions
# separated by `;`, the first found counting: names change between builds).
stages=(
  "start-up (compiled gazetteer read)|naql::matcher::Matcher::read"
  "  matcher|naql::matcher::Matcher::find_from"
  "  quotes and speakers|naql::quotes::QuoteExtractor::extract_from"
  "  key with offset map (and, since round 12, the language's letters)|naql::normalize::Normalizer::build_key;naql::normalize::Normalizer::key_into"
  "  language detection (a pass of its own before round 12)|naql::lang::Lang::detect"
  "encoding the rows|naql::sink::csv_tables::CsvRows::render_into"
  "entity counts|naql::sink::EntityTallies::add"
)

# The inclusive count of function `$2` in callgrind_annotate's list `$1`, or nothing.
# The list also names the parts inlined from other files (`trie.rs:...find_from`), each
# with a share of the function's own count: the function's count is the largest.
inclusive() {
  awk -v f=":$2" '{
    name = $0
    sub(/ \[[^]]*\]$/, "", name)
    if (substr(name, length(name) - length(f) + 1) == f) {
      n = $1
      gsub(",", "", n)
      if (n + 0 > most) most = n + 0
    }
  } END { if (most) print most }' <<< "$1"
}

# Prints "label|millions" for the whole run and each stage of one callgrind output
# file, SHA-256 left out of the whole run and of the per-document pipeline.
counts() {
  local out=$1 listed callers total sha doc_sha pipeline
  listed=$(callgrind_annotate --inclusive=yes --auto=no --threshold=100 "$out" 2>/dev/null)
  callers=$(callgrind_annotate --inclusive=yes --tree=caller --auto=no "$out" 2>/dev/null)
  total=$(grep -m1 'PROGRAM TOTALS' <<< "$listed" | awk '{gsub(",","",$1); print $1}')
  sha=$(inclusive "$listed" "sha2::sha256::compress256")
  # The checksums of the documents: the digests called by the pipeline.
  doc_sha=$(awk 'BEGIN { RS = "" } /\*  [^\n]*Digest>::digest \[/' <<< "$callers" \
    | grep -F "naql::pipeline::Pipeline::extract (" | head -1 | awk '{gsub(",","",$1); print $1}' || true)
  pipeline=$(inclusive "$listed" "naql::pipeline::Pipeline::extract")
  awk -v t="$total" -v s="${sha:-0}" 'BEGIN { printf "whole run less SHA-256|%.1f\n", (t - s) / 1e6 }'
  awk -v p="$pipeline" -v s="${doc_sha:-0}" \
    'BEGIN { printf "per-document pipeline less SHA-256|%.1f\n", (p - s) / 1e6 }'
  for stage in "${stages[@]}"; do
    local label=${stage%%|*} function=${stage#*|} n="" f
    IFS=';' read -r -a alternatives <<< "$function"
    for f in "${alternatives[@]}"; do
      n=$(inclusive "$listed" "$f")
      [ -n "$n" ] && break
    done
    awk -v l="$label" -v n="$n" 'BEGIN { if (n == "") printf "%s|-\n", l; else printf "%s|%.1f\n", l, n / 1e6 }'
  done
}

# Runs `binary` under callgrind with gazetteer `gaz`; writes its counts to `result`.
measure() {
  local binary=$1 gaz=$2 result=$3
  rm -rf "$dir/out"
  valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
    "$binary" extract "$dir/corpus.jsonl" --gazetteer "$gaz" --threads 1 --out "$dir/out" \
    >/dev/null 2>"$dir/valgrind.log"
  counts "$dir/callgrind.out" > "$result"
  for table in documents mentions quotes entities; do
    cp "$dir/out/$table.csv" "$result.$table.csv"
  done
}

"$naql" gazetteer compile --no-default-gazetteer "$dir/gazetteer" -o "$dir/gazetteer.naqlgaz" >/dev/null 2>&1
measure "$naql" "$dir/gazetteer.naqlgaz" "$dir/this.txt"

echo "Instructions of \`naql extract --threads 1\`, millions: $mb MB of the bench corpus, $names names."
echo
if [ -z "${NAQL_BASELINE:-}" ]; then
  echo "| | this build |"
  echo "| --- | ---: |"
  awk -F'|' '{ printf "| %s | %s |\n", $1, $2 }' "$dir/this.txt"
  exit 0
fi

base_gaz="$dir/gazetteer.naqlgaz"
if ! "$NAQL_BASELINE" extract "$dir/tiny.txt" --gazetteer "$base_gaz" --out "$dir/out" >/dev/null 2>&1; then
  "$NAQL_BASELINE" gazetteer compile --no-default-gazetteer "$dir/gazetteer" \
    -o "$dir/gazetteer.baseline.naqlgaz" >/dev/null 2>&1
  base_gaz="$dir/gazetteer.baseline.naqlgaz"
fi
measure "$NAQL_BASELINE" "$base_gaz" "$dir/baseline.txt"
same=yes
for table in documents mentions quotes entities; do
  cmp -s "$dir/baseline.txt.$table.csv" "$dir/this.txt.$table.csv" || same=no
done
echo "| | baseline | this build | change |"
echo "| --- | ---: | ---: | ---: |"
paste -d'|' "$dir/baseline.txt" "$dir/this.txt" | awk -F'|' '{
  change = ($2 == "-" || $4 == "-" || $2 == 0) ? "" : sprintf("%+.1f%%", ($4 - $2) / $2 * 100)
  printf "| %s | %s | %s | %s |\n", $1, $2, $4, change
}'
echo
echo "Tables identical: $same"
