#!/usr/bin/env bash
# End-to-end benchmark of `naql extract`: synthetic gazetteers of N names (Persian,
# Arabic and Latin multi-word names built from the name parts in tools/bench_data.py)
# and a corpus of M MB (the two sample articles plus generated sentences that contain
# those names), timed with /usr/bin/time -v at each gazetteer size and thread count.
#
# Usage: tools/bench.sh [MB] [NAMES...]       (default: 100 MB; 1000 100000 1000000)
# Prints a Markdown table: wall time, MB/s, peak RSS, mentions and quotes written.
# Work files go to $NAQL_BENCH_DIR (default: a new temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
shift || true
sizes=("${@:-1000 100000 1000000}")
read -r -a sizes <<< "${sizes[*]}"
work=${NAQL_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet
naql=target/release/naql

echo "| names | threads | input MB | wall s | MB/s | peak RSS MB | load+compile s | mentions | quotes |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  python3 tools/bench_data.py --names "$n" --mb "$mb" --out "$work/n$n" >/dev/null
  corpus="$work/n$n/corpus.jsonl"
  bytes=$(stat -c %s "$corpus")
  # Start-up alone: the gazetteer loaded and compiled, one tiny document.
  /usr/bin/time -f "%e" -o "$work/startup.txt" \
    "$naql" extract "$work/n$n/tiny.txt" --no-default-gazetteer --gazetteer "$work/n$n/gazetteer" \
    --out "$work/out-startup" >/dev/null 2>&1 || true
  startup=$(tail -1 "$work/startup.txt")
  for threads in 1 2; do
    /usr/bin/time -v -o "$work/time.txt" \
      "$naql" extract "$corpus" --no-default-gazetteer --gazetteer "$work/n$n/gazetteer" \
      --threads "$threads" --out "$work/out" >/dev/null 2>&1 || true
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time.txt")
    mentions=$(($(wc -l < "$work/out/mentions.csv") - 1))
    quotes=$(($(wc -l < "$work/out/quotes.csv") - 1))
    awk -v n="$n" -v t="$threads" -v b="$bytes" -v w="$wall" -v r="$rss" -v s="$startup" -v m="$mentions" -v q="$quotes" \
      'BEGIN { printf "| %d | %d | %.0f | %.2f | %.1f | %s | %s | %d | %d |\n", n, t, b/1e6, w, b/1e6/w, r, s, m, q }'
  done
done
