#!/usr/bin/env bash
# Derives the demo usage trace shipped in the jar (src/main/resources/demo/usage.csv.gz) from the
# Bitbrains Rnd development trace. Output is in exactly the trace format (same header, one row per
# sample, sorted by series then time), so the demo goes through the same reader as a backtest.
#
#   src/tools/derive-demo-trace.sh [path/to/bitbrains-rnd-dev.csv.gz]
#
# Default input: bench/traces/bitbrains-rnd-dev.csv.gz relative to the repository root.
# Which VMs become which namespace/workload/container is in src/tools/demo-series.tsv.
# The output is byte-for-byte reproducible (gzip -n stores no name or time; sort runs in the C locale).
# Lines end in CRLF, as in the source trace (RFC 4180 CSV), so the demo file is in exactly its format.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
input="${1:-bench/traces/bitbrains-rnd-dev.csv.gz}"
# A relative input is taken relative to the repository root, so the default works from anywhere.
case "$input" in
  /*) ;;
  *) input="$repo_root/$input" ;;
esac
mapping="$repo_root/src/tools/demo-series.tsv"
output="$repo_root/src/main/resources/demo/usage.csv.gz"

# The window: 16 whole days, 2013-07-02T00:00Z <= t < 2013-07-18T00:00Z. It avoids the ~24 h hole
# at the June/July month boundary and leaves two days beyond the default 14-day history window.
window_start=1372723200
window_end=1374105600

[ -r "$input" ] || { echo "cannot read trace: $input" >&2; exit 1; }
[ -r "$mapping" ] || { echo "cannot read mapping: $mapping" >&2; exit 1; }

header='timestamp,namespace,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes'
actual_header="$(gzip -dc "$input" | head -n 1 | tr -d '\r' || true)"
if [ "$actual_header" != "$header" ]; then
  echo "unexpected header in $input: $actual_header" >&2
  exit 1
fi

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

{
  printf '%s\r\n' "$header"
  gzip -dc "$input" | LC_ALL=C awk -F, -v OFS=, -v from="$window_start" -v to="$window_end" '
    # First file: the mapping table (tab-separated; "#" starts a comment).
    FNR == NR {
      sub(/[ \t]*#.*/, "")
      if ($0 == "") next
      split($0, f, "\t")
      if (f[1] in ns) { print "duplicate source in mapping: " f[1] > "/dev/stderr"; exit 2 }
      ns[f[1]] = f[2]; wl[f[1]] = f[3]; ct[f[1]] = f[4]; wanted++
      next
    }
    FNR == 1 { next }  # the trace header, checked above
    { sub(/\r$/, "") }
    ($3 in ns) && $1 >= from && $1 < to {
      seen[$3] = 1
      $2 = ns[$3]; $4 = ct[$3]; $3 = wl[$3]
      $5 = sprintf("%.5f", $5)
      printf "%s\r\n", $0
    }
    END {
      for (s in ns) if (!(s in seen)) { print "no rows in window for " s > "/dev/stderr"; missing++ }
      if (missing) exit 3
    }
  ' FS='\t' "$mapping" FS=, - \
  | LC_ALL=C sort -t, -k2,2 -k3,3 -k4,4 -k1,1n
} > "$tmp"

gzip -n -9 < "$tmp" > "$output"
echo "wrote $output: $(($(wc -l < "$tmp") - 1)) rows, $(wc -c < "$output") bytes" >&2
