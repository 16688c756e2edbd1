#!/usr/bin/env python3
"""Reference values for the native option pricer, computed independently of it with mpmath at 60
significant digits: prices from the textbook closed forms (Black-Scholes-Merton with continuous
dividend yield, Hull ch. 17; Black-76, Hull ch. 18), every greek by mpmath's numerical differentiation
of that price (not from greek formulas), so the native formulas are checked against first principles.

  /usr/bin/python3 scripts/generate-option-fixtures.py > native/test/fixtures/options-mpmath.json   # needs python3-mpmath
"""
import json
import mpmath as mp

mp.mp.dps = 60

def price(model, right, s, k, t, r, q, v):
    s, k, t, r, q, v = map(mp.mpf, (s, k, t, r, q, v))
    if model == 1:  # Black-76: s is the forward; discount the payoff at r
        f, df = s, mp.e ** (-r * t)
    else:
        f, df = s * mp.e ** ((r - q) * t), mp.e ** (-r * t)
    sd = v * mp.sqrt(t)
    d1 = (mp.log(f / k) + sd * sd / 2) / sd
    d2 = d1 - sd
    if right == 0:
        return df * (f * mp.ncdf(d1) - k * mp.ncdf(d2))
    return df * (k * mp.ncdf(-d2) - f * mp.ncdf(-d1))

def row(model, right, s, k, t, r, q, v):
    P = lambda s_=s, t_=t, r_=r, v_=v: price(model, right, s_, k, t_, r_, q, v_)
    d = lambda f, x, n=1: mp.diff(f, mp.mpf(x), n)
    out = {
        'price': P(),
        'delta': d(lambda x: P(s_=x), s),
        'gamma': d(lambda x: P(s_=x), s, 2),
        # theta: the change as calendar time passes = -dV/d(time to expiry), per year
        'theta': -d(lambda x: P(t_=x), t),
        'vega': d(lambda x: P(v_=x), v),
        'rho': d(lambda x: P(r_=x), r),
        'vanna': mp.diff(lambda a, b: P(s_=a, v_=b), (mp.mpf(s), mp.mpf(v)), (1, 1)),
        'charm': -mp.diff(lambda a, b: P(s_=a, t_=b), (mp.mpf(s), mp.mpf(t)), (1, 1)),
        'vomma': d(lambda x: P(v_=x), v, 2),
    }
    return {'input': [model, right, s, k, t, r, q, v], 'expected': {n: float(x) for n, x in out.items()}}

cases = []
for model in (0, 1):
    for right in (0, 1):
        for (s, k, t, r, q, v) in [
            (100, 100, 1.0, 0.05, 0.02, 0.2),
            (42, 40, 0.5, 0.10, 0.0, 0.2),      # Hull's worked example: call 4.76, put 0.81
            (100, 150, 0.25, 0.03, 0.01, 0.35),
            (100, 60, 2.0, 0.01, 0.03, 0.5),
            (250, 255, 7 / 365, 0.045, 0.0, 0.15),
            (1.25, 1.3, 0.75, -0.005, 0.02, 0.09),  # negative rate
            (50, 100, 1.5, 0.02, 0.0, 1.2),
            (100, 101, 1 / 365, 0.05, 0.0, 0.6),
            (3000, 2500, 0.1, 0.04, 0.015, 0.3),
            (100, 100, 2.0, 0.0, 0.0, 3.0),        # 300% vol
        ]:
            cases.append(row(model, right, s, k, t, r, q, v))

print(json.dumps({
    'source': 'scripts/generate-option-fixtures.py: mpmath %s at %d digits; prices from the closed forms of Hull, Options, Futures and Other Derivatives (BSM with dividend yield, Black-76), greeks by numerical differentiation of the price' % (mp.__version__, mp.mp.dps),
    'greeks_order': ['price', 'delta', 'gamma', 'theta', 'vega', 'rho', 'vanna', 'charm', 'vomma'],
    'cases': cases,
}, indent=1))
