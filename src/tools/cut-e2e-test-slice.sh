#!/usr/bin/env bash
# Cuts the trace slice that the end-to-end test (dev.presize.e2e.PrometheusEndToEndTest) loads into
# a real Prometheus (src/test/resources/traces/bitbrains-rnd-e2e.csv.gz) from the Bitbrains Rnd
# development trace: the rows of 9 VMs over 14 days without a long hole, byte for byte as in the source
# (CRLF kept).
#
#   src/tools/cut-e2e-test-slice.sh [path/to/bitbrains-rnd-dev.csv.gz]
#
# Default input: bench/traces/bitbrains-rnd-dev.csv.gz relative to the repository root. The
# tests never read that file; they read the committed slice. Output is reproducible (gzip -n).
#
# Why not the 9-day slice of the Prometheus tests: the model calibrates on the 11 days before the
# decision, each needing 72 h of history before it, so 9 days (one of them the month-boundary hole)
# leave almost nothing to calibrate on and every container would get the VPA fallback. With less
# than 13 days its CPU stays in the cold start (LearnedStrategy, ColdStart); 14 clean days, the
# server's default --history, serve the calibrated CPU prices.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# 2013-08-01T00:00Z <= t < 2013-08-15T00:00Z: after the month-boundary hole (2013-07-30 ~22:00Z to
# 2013-07-31 ~22:00Z) and two weeks before the next one (2013-08-30 ~22:00Z).
window_start=1375315200
window_end=1376524800
# Memory measured in (almost) every row; mean CPU from 0.004 to 0.3 cores, peaks up to 3 cores.
vms="vm-13 vm-22 vm-241 vm-272 vm-288 vm-303 vm-312 vm-380 vm-428"

"$here/cut-trace-slice.sh" "${1:-bench/traces/bitbrains-rnd-dev.csv.gz}" \
  "$here/../test/resources/traces/bitbrains-rnd-e2e.csv.gz" "$window_start" "$window_end" "$vms"
