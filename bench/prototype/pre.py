import numpy as np, time
exec(open('/tmp/p/h.py').read().split('def metrics')[0])
LEV = np.array([0.5,0.7,0.8,0.85,0.9,0.93,0.95,0.96,0.97,0.98,0.985,0.99,0.995,0.998,1.0])
LEV1 = np.array([0.8,0.9,0.95,0.98,1.0])
MX = np.array([1.1,1.25,1.5,2.0])
K = len(LEV)+len(LEV1)+len(MX)
HLS = [None, 3.0, 1.0, 0.5]
R = np.full((S,ND,K), np.nan)
Pin = np.full((len(HLS),S,ND,K), np.nan); Sin = Pin.copy(); Uin = Pin.copy()
Sr = np.full((S,ND,K), np.nan); Ur = Sr.copy(); Cr = Sr.copy(); Nr = np.zeros((S,ND)); Tr = np.zeros((S,ND))
t=time.time()
for s in range(S):
    for d in range(WARM, ND):
        lo = max(0, d-W)
        c = cpu[s, lo:d].ravel(); ok = ~np.isnan(c)
        tom = cpu[s, d]; tom = tom[~np.isnan(tom)]
        if ok.sum() < 12 or len(tom) == 0: continue
        v = c[ok]; age = ((np.arange(lo*D, d*D) - d*D)/D)[ok]
        o = np.argsort(v, kind='stable'); vs = v[o]; ag = age[o]
        last = c[-D:]; last = last[~np.isnan(last)]
        if len(last)==0: last = vs
        cand = np.concatenate([np.quantile(vs, LEV), np.quantile(last, LEV1), vs[-1]*MX])
        cand = np.sort(cand); R[s,d] = cand
        for h, hl in enumerate(HLS):
            w = np.ones_like(vs) if hl is None else 2.0**(ag/hl)
            W_ = w.sum(); cw = np.cumsum(w); cwv = np.cumsum(w*vs)
            i = np.searchsorted(vs, cand, side='right')  # count <= R
            wle = np.where(i>0, cw[np.maximum(i-1,0)], 0); wvle = np.where(i>0, cwv[np.maximum(i-1,0)], 0)
            Pin[h,s,d] = (W_-wle)/W_
            Uin[h,s,d] = ((cwv[-1]-wvle) - cand*(W_-wle))/W_
            Sin[h,s,d] = (cand*wle - wvle)/W_
        diff = cand[:,None] - tom[None,:]
        Sr[s,d] = np.maximum(diff,0).sum(1); Ur[s,d] = np.maximum(-diff,0).sum(1); Cr[s,d] = (diff<0).sum(1)
        Nr[s,d] = len(tom); Tr[s,d] = tom.sum()
print(time.time()-t)
np.savez('/tmp/p/cand.npz', R=R, Pin=Pin, Sin=Sin, Uin=Uin, Sr=Sr, Ur=Ur, Cr=Cr, Nr=Nr, Tr=Tr)
