import numpy as np
z = np.load('/tmp/p/cand.npz'); R=z['R']; Pin=z['Pin']; Sin=z['Sin']; Uin=z['Uin']; Sr=z['Sr']; Ur=z['Ur']; Cr=z['Cr']; Nr=z['Nr']; Tr=z['Tr']
valid = ~np.isnan(R[...,0])
TOT = Tr[valid].sum(); NU = Nr[valid].sum(); MU = TOT/NU
print('mean usage', MU, 'pairs', valid.sum())
def realized(idx):
    g = lambda A: np.take_along_axis(A, idx[...,None], 2)[...,0][valid].sum()
    return g(Sr)/TOT, g(Cr)/NU, g(Ur)/TOT
def choose(h, mu, lam):
    sc = Sin[h] + mu*Uin[h] + lam*MU*Pin[h]
    sc = np.where(np.isnan(sc), np.inf, sc)
    return np.argmin(sc, 2)
VT = (0.0287, 0.0512); KT = (0.0539, 0.0284)
mus = [0,0.02,0.05,0.1,0.2,0.3,0.5,0.75,1,1.5,2,3,5,8,12,20,35,60,100]
lams = [0,0.01,0.02,0.05,0.1,0.2,0.5,1,2,5,10,20,50,100]
for h in range(4):
    res = []
    for mu in mus:
        for lam in lams:
            s,u,un = realized(choose(h,mu,lam)); res.append((s,u,un,mu,lam))
    for name,(tu,tun) in [('VPA',VT),('KRR',KT)]:
        ok = [r for r in res if r[1]<=tu and r[2]<=tun]
        b = min(ok) if ok else None
        print('hl#',h,name, None if b is None else tuple(round(x,4) for x in b))
