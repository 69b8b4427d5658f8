#!/usr/bin/env bash
# Remakes gazetteers/builtin.naqlgaz, the built-in gazetteers compiled, which naql
# embeds so that a run with only them starts without compiling their TSV files.
#
# Run it after editing a built-in gazetteer (gazetteers/*/), or after a change to the
# code that compiles them (keys, the matcher, the compiled format): the unit test
# `the_embedded_builtin_gazetteers_are_what_compiling_them_gives` fails until then.
# A naql whose embedded copy is out of date still runs correctly: it compiles the TSV
# files, as it would without the copy.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet -- gazetteer compile -o gazetteers/builtin.naqlgaz
