#!/usr/bin/env bash
# Cuts the trace slice that the real-Prometheus tests load (src/test/resources/traces/
# bitbrains-rnd-slice.csv.gz) from the Bitbrains Rnd development trace: the rows of 8 VMs over
# 9 days around the July/August 2013 month boundary, byte for byte as in the source (CRLF kept).
#
#   src/tools/cut-prometheus-test-slice.sh [path/to/bitbrains-rnd-dev.csv.gz]
#
# Default input: bench/traces/bitbrains-rnd-dev.csv.gz relative to the repository root. The
# tests never read that file; they read the committed slice. Output is reproducible (gzip -n).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# 2013-07-27T00:00Z <= t < 2013-08-05T00:00Z; the ~24 h month-boundary hole falls on Jul 30-31.
window_start=1374883200
window_end=1375660800
# A spread of CPU (0.001-1.7 cores on average) and of memory coverage (complete, ~40 % missing,
# almost never measured).
vms="vm-24 vm-70 vm-80 vm-96 vm-99 vm-133 vm-230 vm-422"

"$here/cut-trace-slice.sh" "${1:-bench/traces/bitbrains-rnd-dev.csv.gz}" \
  "$here/../test/resources/traces/bitbrains-rnd-slice.csv.gz" "$window_start" "$window_end" "$vms"
