#!/usr/bin/env bash
# Cuts the trace slice that the end-to-end test (dev.presize.e2e.PrometheusEndToEndTest) loads into
# a real Prometheus (src/test/resources/traces/bitbrains-rnd-e2e.csv.gz) from the Bitbrains Rnd
# development trace: the rows of 9 VMs over 12 days without a long hole, byte for byte as in the source
# (CRLF kept).
#
#   src/tools/cut-e2e-test-slice.sh [path/to/bitbrains-rnd-dev.csv.gz]
#
# Default input: ../shared/traces/bitbrains-rnd-dev.csv.gz relative to the repository root. The
# tests never read that file; they read the committed slice. Output is reproducible (gzip -n).
#
# Why not the 9-day slice of the Prometheus tests: the learned model needs 72 h of history before
# each training origin and holds the 3 latest days back for calibration, so 9 days (one of them the
# month-boundary hole) leave 2 training rows per container, under the 30 it trains on, and every
# container would get the VPA fallback. 12 clean days leave 6 per container.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
input="${1:-../shared/traces/bitbrains-rnd-dev.csv.gz}"
case "$input" in
  /*) ;;
  *) input="$repo_root/$input" ;;
esac
output="$repo_root/src/test/resources/traces/bitbrains-rnd-e2e.csv.gz"

# 2013-07-18T00:00Z <= t < 2013-07-30T00:00Z: after the trace's 31 h hole of 2013-07-16/17 and
# before the month-boundary hole that starts 2013-07-30 ~22:00Z.
window_start=1374105600
window_end=1375142400
# Memory measured in (almost) every row; mean CPU from 0.004 to 0.3 cores, peaks up to 3 cores.
vms="vm-13 vm-22 vm-241 vm-272 vm-288 vm-303 vm-312 vm-380 vm-428"

[ -r "$input" ] || { echo "cannot read trace: $input" >&2; exit 1; }
gzip -dc "$input" | LC_ALL=C awk -F, -v from="$window_start" -v to="$window_end" -v vms="$vms" '
  BEGIN { n = split(vms, v, " "); for (i = 1; i <= n; i++) want[v[i]] = 1 }
  NR == 1 || (($3 in want) && $1 >= from && $1 < to)
' | gzip -n -9 > "$output"
echo "wrote $output: $(gzip -dc "$output" | wc -l) lines, $(wc -c < "$output") bytes"
