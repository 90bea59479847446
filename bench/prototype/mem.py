import numpy as np, time
exec(open('/tmp/p/h.py').read().split('def metrics')[0])
B = np.load('/tmp/p/baselines.npz')
peak = np.where(np.isnan(mem), -np.inf, mem).max(2); has = np.isfinite(peak)
MLEV = np.array([0.5,0.75,0.9,1.0]); MMX = np.array([1.02,1.05,1.1,1.15,1.2,1.3,1.4,1.5,1.75,2.0])
K = len(MLEV)+len(MMX)
HL=[None,3.0,1.0]
R = np.full((S,ND,K), np.nan); Pin = np.full((len(HL),S,ND,K), np.nan)
Er = np.full((S,ND,K), np.nan); Slr = np.full((S,ND,K), np.nan); Mt = np.zeros((S,ND))
for s in range(S):
    for d in range(WARM, ND):
        lo = max(0,d-W); pk = peak[s,lo:d]; ok = np.isfinite(pk)
        if ok.sum() < 1 or not has[s,d]: continue
        p = pk[ok]; age = (np.arange(lo,d)-d)[ok]
        mx = p.max()
        cand = np.sort(np.concatenate([np.quantile(p, MLEV), mx*MMX])); R[s,d]=cand
        for h,hl in enumerate(HL):
            w = np.ones_like(p) if hl is None else 2.0**(age/hl)
            Pin[h,s,d] = ((p[None,:] > cand[:,None])*w).sum(1)/w.sum()
        tm = mem[s,d]; tm = tm[~np.isnan(tm)]
        Er[s,d] = (tm.max() > cand); Slr[s,d] = np.maximum(cand[:,None]-tm[None,:],0).sum(1); Mt[s,d]=tm.sum()
valid = ~np.isnan(R[...,0]); TOT = Mt[valid].sum(); ND_ = valid.sum(); MU = TOT/ND_
print('pairs', ND_)
def realized(idx):
    g = lambda A: np.take_along_axis(A, idx[...,None], 2)[...,0][valid].sum()
    return g(Slr)/TOT, g(Er)/ND_
# vpa/krr on same pairs
for nm in ['vm','km']:
    Rb = B[nm]; v = valid & ~np.isnan(Rb)
    sl = sum(np.maximum(Rb[s,d]-mem[s,d][~np.isnan(mem[s,d])],0).sum() for s,d in zip(*np.nonzero(v)))
    print(nm, sl/TOT, ((peak > Rb) & v).sum()/ND_)
for h in range(len(HL)):
    res=[]
    for lam in np.exp(np.linspace(-6, 8, 80)):
        sc = np.where(np.isnan(R), np.inf, R/ (MU/288) + lam*Pin[h])  # per-sample units
        # use: n*R + lam*MU*P  -> R*288 + lam*MU*P
        sc = np.where(np.isnan(R), np.inf, R*288 + lam*MU*Pin[h])
        s_,e_ = realized(np.argmin(sc,2)); res.append((s_,e_,lam))
    for tgt in [0.077, 0.0246]:
        ok=[r for r in res if r[1]<=tgt]; print('hl#',h,tgt, min(ok) if ok else None)
# fixed multiplier of max
for j in range(K):
    pass
for m in MMX:
    i = np.full((S,ND), len(MLEV)-1 + list(MMX).index(m)+1)
    print('max x',m, realized(i))
