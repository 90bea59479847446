import numpy as np
exec(open('/tmp/p/h.py').read().split('def metrics')[0])
B = np.load('/tmp/p/baselines.npz')
peak = np.where(np.isnan(mem), -np.inf, mem).max(2); has = np.isfinite(peak)
msum = np.nansum(mem,2); mcnt = (~np.isnan(mem)).sum(2)
valid = np.zeros((S,ND),bool); valid[:,WARM:] = has[:,WARM:]
bases = {}
def wq(p,w,q):
    o=np.argsort(p); cw=np.cumsum(w[o]); return p[o][min(np.searchsorted(cw,q*cw[-1]),len(p)-1)]
for nm in ['last','max14','max7','max3','p90h1','p75h1','p50h1','p90h3']:
    bases[nm]=np.full((S,ND),np.nan)
for s in range(S):
    for d in range(WARM,ND):
        if not has[s,d]: continue
        lo=max(0,d-W); pk=peak[s,lo:d]; ok=np.isfinite(pk)
        if not ok.any(): valid[s,d]=False; continue
        p=pk[ok]; age=(np.arange(lo,d)-d)[ok]
        bases['last'][s,d]=p[-1]; bases['max14'][s,d]=p.max(); bases['max7'][s,d]=p[age>=-7].max() if (age>=-7).any() else p.max()
        bases['max3'][s,d]=p[age>=-3].max() if (age>=-3).any() else p.max()
        bases['p90h1'][s,d]=wq(p,2.0**age,0.9); bases['p75h1'][s,d]=wq(p,2.0**age,0.75); bases['p50h1'][s,d]=wq(p,2.0**age,0.5); bases['p90h3'][s,d]=wq(p,2.0**(age/3),0.9)
TOT = msum[valid].sum(); NDY = valid.sum()
def ev(Rm):
    v = valid
    sl = np.maximum(Rm[:,:,None]-mem,0); sl = np.where(np.isnan(mem),0,sl).sum(2)
    return sl[v].sum()/TOT, (peak[v] > Rm[v]).sum()/NDY
print('vpa', ev(B['vm'])); print('krr', ev(B['km']))
for nm,b in bases.items():
    out=[]
    for tgt in [0.077,0.0246]:
        best=None
        for k in np.exp(np.linspace(-0.3,1.2,151)):
            s_,e_=ev(b*k)
            if e_<=tgt: best=(round(s_,3),round(e_,4),round(k,3)); break
        out.append(best)
    print(nm,out, flush=True)
