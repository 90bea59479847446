import gzip, numpy as np, sys
# Load trace into per-series arrays on a 5-minute grid aligned to hours.
rows = {}
with gzip.open('/work/main/bench/traces/bitbrains-rnd-dev.csv.gz','rt') as f:
    next(f)
    for line in f:
        p = line.rstrip('\n').split(',')
        k = p[2]
        rows.setdefault(k, ([],[],[]))
        r = rows[k]
        r[0].append(int(p[0])); r[1].append(float(p[4]) if p[4] else np.nan); r[2].append(float(p[5]) if p[5] else np.nan)
keys = sorted(rows)
t0 = min(min(rows[k][0]) for k in keys); t0 = t0//3600*3600
t1 = max(max(rows[k][0]) for k in keys)
n = (t1 - t0)//300 + 1
cpu = np.full((len(keys), n), np.nan, dtype=np.float32); mem = np.full((len(keys), n), np.nan, dtype=np.float32)
for i,k in enumerate(keys):
    t = np.array(rows[k][0]); s = (t - t0)//300
    cpu[i, s] = rows[k][1]; mem[i, s] = rows[k][2]
np.savez('/tmp/p/trace.npz', cpu=cpu, mem=mem, t0=t0, keys=np.array(keys))
print(len(keys), n, t0)
