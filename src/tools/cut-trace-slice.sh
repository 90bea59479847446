#!/usr/bin/env bash
# The shared part of the slice-cutting scripts (cut-prometheus-test-slice.sh, cut-e2e-test-slice.sh):
# keeps the header and the rows of the given workloads with from <= timestamp < to, byte for byte as
# in the source (CRLF kept), into a reproducible gzip (gzip -n).
#
#   src/tools/cut-trace-slice.sh INPUT OUTPUT FROM TO "vm-1 vm-2 ..."
#
# A relative INPUT is taken from the repository root, as the callers' default
# (bench/traces/bitbrains-rnd-dev.csv.gz) is.
set -euo pipefail

[ $# -eq 5 ] || { echo "usage: $0 INPUT OUTPUT FROM TO WORKLOADS" >&2; exit 2; }
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
input=$1 output=$2 window_start=$3 window_end=$4 vms=$5
case "$input" in
  /*) ;;
  *) input="$repo_root/$input" ;;
esac

[ -r "$input" ] || { echo "cannot read trace: $input" >&2; exit 1; }
gzip -dc "$input" | LC_ALL=C awk -F, -v from="$window_start" -v to="$window_end" -v vms="$vms" '
  BEGIN { n = split(vms, v, " "); for (i = 1; i <= n; i++) want[v[i]] = 1 }
  NR == 1 || (($3 in want) && $1 >= from && $1 < to)
' | gzip -n -9 > "$output"
echo "wrote $output: $(gzip -dc "$output" | wc -l) lines, $(wc -c < "$output") bytes"
