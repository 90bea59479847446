exec(open('/tmp/p/h.py').read())
import time
# VPA approx: cpu p90 of decaying hist (half-life 1 day), weight; mem p90 of daily peaks decayed; *1.15; floors
def wq(vals, w, q):
    o = np.argsort(vals); v = vals[o]; cw = np.cumsum(w[o]); 
    i = np.searchsorted(cw, q*cw[-1]); return v[min(i, len(v)-1)]
def vpa():
    Rc = np.full((S,ND), np.nan); Rm = np.full((S,ND), np.nan)
    for s in range(S):
        for d in days:
            lo = max(0, d-W)
            c = cpu[s, lo:d].ravel(); ok = ~np.isnan(c)
            age = (np.arange(lo*D, d*D) - d*D)/D  # days, negative
            if ok.any():
                Rc[s,d] = max(0.025, wq(c[ok], 2.0**age[ok], 0.9)*1.15)
            pk = np.nanmax(np.where(np.isnan(mem[s,lo:d]), -np.inf, mem[s,lo:d]), 1); okp = np.isfinite(pk)
            if okp.any():
                a = np.arange(lo, d) - d
                Rm[s,d] = max(250*2**20, wq(pk[okp], 2.0**a[okp], 0.9)*1.15)
    return Rc, Rm
def krr():
    Rc = np.full((S,ND), np.nan); Rm = np.full((S,ND), np.nan)
    for s in range(S):
        for d in days:
            lo = max(0, d-W)
            c = cpu[s, lo:d].ravel(); c = c[~np.isnan(c)]
            if len(c) >= 100: Rc[s,d] = np.percentile(c, 95)
            mm = mem[s, lo:d].ravel(); mm = mm[~np.isnan(mm)]
            if len(mm) >= 100: Rm[s,d] = mm.max()*1.15
    return Rc, Rm
t=time.time(); V = vpa(); print('vpa', metrics(*V), time.time()-t)
K = krr(); print('krr', metrics(*K))
np.savez('/tmp/p/baselines.npz', vc=V[0], vm=V[1], kc=K[0], km=K[1])
