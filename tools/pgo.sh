#!/usr/bin/env bash
# A profile-guided build of naql: the compiler lays out branches and inlines by how
# often each path ran on training documents, which makes `naql extract` 2-28% faster
# (BENCHMARKS.md, "Current figures"). The profile is committed (pgo/naql.profdata), so
# building needs only cargo.
#
# Usage:
#   tools/pgo.sh build     build target/pgo/release/naql with the committed profile
#   tools/pgo.sh profile   regenerate pgo/naql.profdata (after changing hot code)
#
# With NAQL_TARGET_CPU=native, `build` also compiles for this machine's processor
# (AVX2 and the like where it has them): a few per cent more, but the binary may not
# run on an older processor, so only for a binary that stays on the machine that
# built it (or on identical ones).
#
# `profile` builds an instrumented naql (target/pgo-gen), runs it over training
# documents made in a temporary directory, and merges what it counted with
# llvm-profdata: $LLVM_PROFDATA if set, else the one of rustup's llvm-tools
# component, else the newest llvm-profdata-NN on the machine (Debian: apt-get install
# llvm-19; version 19 reads the counts of rustc 1.95's LLVM 22). The training
# documents are the sample articles and synthetic corpora from tools/bench_data.py
# with a seed of their own, so the profile is not made from the corpora that
# tools/bench.sh measures.
#
# A function changed since the profile was made is compiled without profile data
# (quietly); the rest keep theirs. Builds for other targets find nothing in the profile
# and are ordinary builds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=$root/pgo/naql.profdata

build() {
  if [ ! -f "$profile" ]; then
    echo "pgo.sh: no $profile; run tools/pgo.sh profile first" >&2
    exit 1
  fi
  local flags="'-Cprofile-use=$profile', '-Cllvm-args=-no-pgo-warn-mismatch'"
  if [ -n "${NAQL_TARGET_CPU:-}" ]; then
    flags="$flags, '-Ctarget-cpu=$NAQL_TARGET_CPU'"
  fi
  cargo build --release --target-dir target/pgo --config "build.rustflags = [$flags]"
  echo "pgo.sh: built target/pgo/release/naql" >&2
}

# The llvm-profdata to merge the counts with.
profdata_tool() {
  if [ -n "${LLVM_PROFDATA:-}" ]; then
    echo "$LLVM_PROFDATA"
    return
  fi
  local host sysroot
  host=$(rustc -vV | awk '/^host:/ {print $2}')
  sysroot=$(rustc --print sysroot)
  if [ -x "$sysroot/lib/rustlib/$host/bin/llvm-profdata" ]; then
    echo "$sysroot/lib/rustlib/$host/bin/llvm-profdata"
    return
  fi
  local found
  found=$(ls /usr/lib/llvm-*/bin/llvm-profdata 2>/dev/null | sort -t- -k2 -n | tail -n 1 || true)
  if [ -n "$found" ]; then
    echo "$found"
    return
  fi
  echo "pgo.sh: no llvm-profdata found; set LLVM_PROFDATA, or install rustup's llvm-tools component or Debian's llvm-19" >&2
  exit 1
}

make_profile() {
  local tool counts naql
  tool=$(profdata_tool)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  counts=$work/counts
  cargo build --release --target-dir target/pgo-gen \
    --config "build.rustflags = ['-Cprofile-generate=$counts']"
  naql=$root/target/pgo-gen/release/naql
  # Training documents: synthetic news at two gazetteer sizes, and the sample
  # articles with the built-in gazetteers.
  for names in 1000 100000; do
    python3 tools/bench_data.py --names "$names" --mb 6 --seed 7 --out "$work/n$names" >/dev/null
    "$naql" gazetteer compile --no-default-gazetteer "$work/n$names/gazetteer" \
      -o "$work/n$names/gazetteer.naqlgaz"
    "$naql" extract "$work/n$names/corpus.jsonl" --gazetteer "$work/n$names/gazetteer.naqlgaz" \
      --threads 2 --out "$work/out" >/dev/null || [ $? -eq 1 ]
  done
  python3 - "$work/samples.jsonl" <<'EOF'
import json, pathlib, sys
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path("samples").glob("*.txt"))]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i in range(600):
        out.write(json.dumps({"doc_id": f"s{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
EOF
  "$naql" extract "$work/samples.jsonl" --threads 2 --out "$work/out" >/dev/null || [ $? -eq 1 ]
  "$naql" extract samples --threads 1 --out "$work/out" >/dev/null || [ $? -eq 1 ]
  "$naql" extract samples/news.jsonl --threads 1 --format jsonl >/dev/null || [ $? -eq 1 ]
  mkdir -p pgo
  # Sparse: functions that never ran are left out (a third of the size).
  "$tool" merge --sparse -o "$profile" "$counts"
  echo "pgo.sh: wrote $profile ($(stat -c %s "$profile") bytes) with $tool" >&2
}

case "${1:-build}" in
  build) build ;;
  profile) make_profile ;;
  *)
    echo "usage: tools/pgo.sh [build|profile]" >&2
    exit 2
    ;;
esac
