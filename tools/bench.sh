#!/usr/bin/env bash
# End-to-end benchmark of `naql extract`: synthetic gazetteers of N names (Persian,
# Arabic and Latin multi-word names built from the name parts in tools/bench_data.py)
# and a corpus of M MB (the two sample articles plus generated sentences that contain
# those names), timed with /usr/bin/time -v at each gazetteer size and thread count.
#
# Usage: tools/bench.sh [MB] [NAMES...]       (default: 100 MB; 1000 100000 1000000)
#
# For each size: the gazetteer is compiled once from TSV (`naql gazetteer compile`,
# timed), start-up is timed from TSV and from the compiled file on a one-word
# document, and the corpus is run from the compiled file at 1 and 2 threads,
# NAQL_BENCH_RUNS times each (default 3), after the files just written have been
# flushed to disk (`sync`), so that their writing does not overlap the runs.
# Prints a Markdown table: the best and the median wall time and MB/s, the median CPU
# seconds (user + system), the largest peak RSS, and the mentions and quotes written.
# Work files go to $NAQL_BENCH_DIR (default: a new temporary directory).
#
# A/B mode: with NAQL_BASELINE=/path/to/other/naql, each corpus is also run by that
# binary, the two alternating NAQL_BENCH_RUNS times (default 3) at each thread count,
# and a second table gives each one's fastest and median wall time, the speed-up of the
# fastest, and whether the tables they wrote are byte-identical. On a machine whose speed drifts, only such
# interleaved runs compare two builds fairly. A baseline that cannot read this build's
# compiled file compiles its own (or, without a compiler, reads the TSV).
#
# The build measured is the profile-guided one (tools/pgo.sh build, with the committed
# pgo/naql.profdata); NAQL_BENCH_PGO=0 measures the plain `cargo build --release`.
#
# A last table gives the raw `aho-corasick` scan that the performance targets are set
# against (examples/reference_scan.rs) on the same corpora, in the same minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
shift || true
sizes=("${@:-1000 100000 1000000}")
read -r -a sizes <<< "${sizes[*]}"
work=${NAQL_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
if [ "${NAQL_BENCH_PGO:-1}" != 0 ] && [ -f pgo/naql.profdata ]; then
  tools/pgo.sh build >&2
  naql=$PWD/target/pgo/release/naql
  echo "Build: profile-guided (tools/pgo.sh build)"
else
  cargo build --release --quiet
  naql=$PWD/target/release/naql
  echo "Build: cargo build --release"
fi
echo

# Seconds of wall time from a /usr/bin/time -v report.
wall() { awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$1" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }'; }
cpu() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u+s}' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
# The least and the median of the numbers given.
best_and_median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print v[1], m }'
}

runs=${NAQL_BENCH_RUNS:-3}
echo "| names | threads | input MB | wall s, best of $runs (median) | MB/s, best (median) | CPU s (median) | peak RSS MB | start-up s (TSV / compiled) | compile s | mentions | quotes |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir="$work/n$n"
  python3 tools/bench_data.py --names "$n" --mb "$mb" --out "$dir" >/dev/null
  corpus="$dir/corpus.jsonl"
  bytes=$(stat -c %s "$corpus")
  /usr/bin/time -v -o "$work/compile.txt" \
    "$naql" gazetteer compile --no-default-gazetteer "$dir/gazetteer" -o "$dir/gazetteer.naqlgaz" 2>/dev/null
  compile=$(wall "$work/compile.txt")
  # Start-up alone: the gazetteer loaded (and compiled), one tiny document.
  /usr/bin/time -v -o "$work/startup-tsv.txt" \
    "$naql" extract "$dir/tiny.txt" --no-default-gazetteer --gazetteer "$dir/gazetteer" \
    --out "$work/out-startup" >/dev/null 2>&1 || true
  /usr/bin/time -v -o "$work/startup.txt" \
    "$naql" extract "$dir/tiny.txt" --gazetteer "$dir/gazetteer.naqlgaz" \
    --out "$work/out-startup" >/dev/null 2>&1 || true
  startup="$(wall "$work/startup-tsv.txt") / $(wall "$work/startup.txt")"
  sync
  for threads in 1 2; do
    walls=""; cpus=""; peak=0
    for _ in $(seq "$runs"); do
      /usr/bin/time -v -o "$work/time.txt" \
        "$naql" extract "$corpus" --gazetteer "$dir/gazetteer.naqlgaz" \
        --threads "$threads" --out "$work/out" >/dev/null 2>&1 || true
      walls="$walls $(wall "$work/time.txt")"; cpus="$cpus $(cpu "$work/time.txt")"
      peak=$(awk -v a="$peak" -v b="$(rss "$work/time.txt")" 'BEGIN { print (b > a) ? b : a }')
    done
    read -r best median <<< "$(best_and_median $walls)"
    read -r _ cpu_median <<< "$(best_and_median $cpus)"
    mentions=$(($(wc -l < "$work/out/mentions.csv") - 1))
    quotes=$(($(wc -l < "$work/out/quotes.csv") - 1))
    awk -v n="$n" -v t="$threads" -v b="$bytes" -v w="$best" -v mw="$median" -v c="$cpu_median" \
      -v r="$peak" -v s="$startup" -v k="$compile" -v m="$mentions" -v q="$quotes" \
      'BEGIN { printf "| %d | %d | %.0f | %.2f (%.2f) | %.1f (%.1f) | %.2f | %s | %s | %.2f | %d | %d |\n", n, t, b/1e6, w, mw, b/1e6/w, b/1e6/mw, c, r, s, k, m, q }'
  done
done

# The raw scan the targets are set against (examples/reference_scan.rs), in the same
# minutes: a shared machine's speed drifts, so naql's figures are read against it.
cargo build --release --quiet --example reference_scan
echo
echo "Raw \`aho-corasick\` scan of the same corpora (examples/reference_scan.rs: contiguous NFA, leftmost-longest, whole words, one thread, no output), best of ${NAQL_BENCH_RUNS:-3}:"
echo
echo "| names | build s | scan MB/s | whole process MB/s | matches |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir="$work/n$n"
  best=""
  for _ in $(seq "${NAQL_BENCH_RUNS:-3}"); do
    line=$(target/release/examples/reference_scan "$dir/gazetteer/names.tsv" "$dir/corpus.jsonl")
    whole=$(awk '{for (i = 1; i < NF; i++) if ($i == "whole_MB/s") print $(i + 1)}' <<< "$line")
    if [ -z "$best" ] || awk -v x="$whole" -v y="$best" 'BEGIN { exit !(x > y) }'; then
      best=$whole
      best_line=$line
    fi
  done
  awk -v n="$n" '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1);
    printf "| %d | %.2f | %.1f | %.1f | %d |\n", n, v["build_s"], v["scan_MB/s"], v["whole_MB/s"], v["matches"] }' <<< "$best_line"
done

if [ -n "${NAQL_BASELINE:-}" ]; then
  echo
  echo "| names | threads | baseline wall s, best of $runs (median) | this build wall s, best of $runs (median) | speed-up (best) | identical tables |"
  echo "| ---: | ---: | ---: | ---: | ---: | --- |"
  for n in "${sizes[@]}"; do
    dir="$work/n$n"
    corpus="$dir/corpus.jsonl"
    # The baseline may predate this build's compiled format: then it compiles its
    # own file (and reads the TSV only if it has no compiler).
    base_gaz=(--gazetteer "$dir/gazetteer.naqlgaz")
    if ! "$NAQL_BASELINE" extract "$dir/tiny.txt" "${base_gaz[@]}" --out "$work/out-a" >/dev/null 2>&1; then
      if "$NAQL_BASELINE" gazetteer compile --no-default-gazetteer "$dir/gazetteer" \
        -o "$dir/gazetteer.baseline.naqlgaz" >/dev/null 2>&1; then
        base_gaz=(--gazetteer "$dir/gazetteer.baseline.naqlgaz")
      else
        base_gaz=(--no-default-gazetteer --gazetteer "$dir/gazetteer")
      fi
    fi
    for threads in 1 2; do
      walls_a=""; walls_b=""
      for _ in $(seq "$runs"); do
        /usr/bin/time -v -o "$work/time-a.txt" "$NAQL_BASELINE" extract "$corpus" "${base_gaz[@]}" \
          --threads "$threads" --out "$work/out-a" >/dev/null 2>&1 || true
        /usr/bin/time -v -o "$work/time-b.txt" "$naql" extract "$corpus" --gazetteer "$dir/gazetteer.naqlgaz" \
          --threads "$threads" --out "$work/out-b" >/dev/null 2>&1 || true
        walls_a="$walls_a $(wall "$work/time-a.txt")"; walls_b="$walls_b $(wall "$work/time-b.txt")"
      done
      same=yes
      for table in documents mentions quotes entities; do
        cmp -s "$work/out-a/$table.csv" "$work/out-b/$table.csv" || same=no
      done
      read -r best_a median_a <<< "$(best_and_median $walls_a)"
      read -r best_b median_b <<< "$(best_and_median $walls_b)"
      awk -v n="$n" -v t="$threads" -v a="$best_a" -v ma="$median_a" -v b="$best_b" -v mb="$median_b" -v s="$same" \
        'BEGIN { printf "| %d | %d | %.2f (%.2f) | %.2f (%.2f) | %.2f | %s |\n", n, t, a, ma, b, mb, a/b, s }'
    done
  done
fi
