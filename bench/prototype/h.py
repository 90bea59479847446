import numpy as np
D = 288
z = np.load('/tmp/p/trace.npz')
cpu = z['cpu'].astype(np.float64); mem = z['mem'].astype(np.float64)
S, N = cpu.shape
ND = N // D + (1 if N % D else 0)
pad = ND*D - N
cpu = np.concatenate([cpu, np.full((S,pad), np.nan)], 1).reshape(S, ND, D)
mem = np.concatenate([mem, np.full((S,pad), np.nan)], 1).reshape(S, ND, D)
W = 14; WARM = 7
days = list(range(WARM, ND))
def metrics(Rc, Rm, mask=None):
    """Rc, Rm: [S, ND] requests for day d (decided at start of day d). NaN = none."""
    u = cpu[:, WARM:, :]; m = mem[:, WARM:, :]
    rc = Rc[:, WARM:, None]; rm = Rm[:, WARM:, None]
    okc = ~np.isnan(u) & ~np.isnan(rc)
    uu = np.where(okc, u, 0); rr = np.where(okc, rc, 0)
    U = uu.sum()
    slack = np.maximum(rr-uu, 0).sum()/U; unmet = np.maximum(uu-rr,0).sum()/U
    under = ((uu > rr) & okc).sum()/okc.sum()
    okm = ~np.isnan(m) & ~np.isnan(rm)
    mm = np.where(okm, m, 0); rmm = np.where(okm, rm, 0)
    mslack = np.maximum(rmm-mm,0).sum()/mm.sum()
    peak = np.where(okm, m, -np.inf).max(2)
    has = okm.any(2)
    exc = ((peak > Rm[:, WARM:]) & has).sum()/has.sum()
    # changes
    ch = 0; dec = 0
    for s in range(S):
        prev = None
        for d in range(WARM, ND):
            if np.isnan(Rc[s,d]) and np.isnan(Rm[s,d]): continue
            if not (okc[s,d-WARM].any() or okm[s,d-WARM].any()): continue
            dec += 1
            cur = (Rc[s,d], Rm[s,d])
            if prev is not None:
                if abs(cur[0]-prev[0]) > 0.1*abs(prev[0]) or abs(cur[1]-prev[1]) > 0.1*abs(prev[1]): ch += 1
            prev = cur
    return dict(cs=round(slack,3), cu=round(under,4), cun=round(unmet,4), ms=round(mslack,2), me=round(exc,4), chg=round(ch/(dec/7),2))
