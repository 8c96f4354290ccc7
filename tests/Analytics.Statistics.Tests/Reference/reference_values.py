"""Independent reference values pasted into the *Facts classes.

Run with Debian's interpreter after `apt-get install -y python3-scipy python3-statsmodels`
(mpmath comes with them): /usr/bin/python3 reference_values.py

Debian's scipy 1.10.1 t.ppf (cdflib) is off by ~1e-9 relative (t.ppf(0.975, 6) = 2.4469118487916806,
exact 2.4469118511449692), so every t quantile below is solved with mpmath at 40 digits instead, and
intervals are estimate -/+ quantile x standard error. scipy's t.cdf, ttest_ind and statsmodels'
p-values are accurate and are used as they are.
"""
import numpy as np, mpmath as mp, scipy.stats as st, statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.multitest import multipletests

mp.mp.dps = 40
def r(x): return repr(float(x))

def tq(p, df):
    """t quantile: solve I_{df/(df+x^2)}(df/2, 1/2) / 2 = 1 - p."""
    df = mp.mpf(df); upper = 1 - mp.mpf(p)
    f = lambda x: mp.betainc(df / 2, mp.mpf('0.5'), 0, df / (df + x * x), regularized=True) / 2 - upper
    return mp.findroot(f, st.t.ppf(p, float(df)))

print("# MeanIntervalFacts")
a = [mp.mpf(x) for x in [12.5, 30.0, 18.25, 41.0, 22.0, 27.5, 35.75]]
m = mp.fsum(a) / 7; sd = mp.sqrt(mp.fsum([(x - m) ** 2 for x in a]) / 6); se = sd / mp.sqrt(7)
print("mean", r(m), "sd", r(sd))
for c in (0.975, 0.95):
    q = tq(c, 6); print("interval", 2 * c - 1, r(m - q * se), r(m + q * se))
for df in (1, 2, 4, 29, 199, 9999): print("t(0.975, %d) =" % df, r(tq(0.975, df)))
print("t(0.995, 9) =", r(tq(0.995, 9)), "t(0.975, 9) =", r(tq(0.975, 9)))

print("# WilsonIntervalFacts")
for k, n in [(7, 20), (45, 50), (0, 10), (10, 10), (1, 1), (0, 1)]:
    lo, hi = proportion_confint(k, n, alpha=0.05, method='wilson'); print("wilson", k, n, r(lo), r(hi))

print("# WelchTestFacts")
A = [34.0, 41.5, 28.0, 52.0, 45.5, 39.0, 47.25, 30.5]; B = [25.0, 31.0, 22.5, 36.0, 28.0, 19.5]
res = st.ttest_ind(A, B, equal_var=False); print("scipy t, p", r(res.statistic), r(res.pvalue))
A = [mp.mpf(x) for x in A]; B = [mp.mpf(x) for x in B]
ma = mp.fsum(A) / len(A); mb = mp.fsum(B) / len(B)
va = mp.fsum([(x - ma) ** 2 for x in A]) / (len(A) - 1) / len(A)
vb = mp.fsum([(x - mb) ** 2 for x in B]) / (len(B) - 1) / len(B)
df = (va + vb) ** 2 / (va ** 2 / (len(A) - 1) + vb ** 2 / (len(B) - 1)); se = mp.sqrt(va + vb); d = ma - mb; q = tq(0.975, df)
print("difference", r(d), "se", r(se), "df", r(df), "interval", r(d - q * se), r(d + q * se))
for x, y in [([1.0, 3.0], [2.0, 7.0]), ([10.0, 10.0, 10.0], [4.0, 7.0, 9.0, 12.0]),
             ([100 + i * 0.1 for i in range(30)], [i * 0.1 for i in range(30)])]:
    res = st.ttest_ind(x, y, equal_var=False); print("ttest_ind", r(res.statistic), r(res.pvalue))

print("# HolmAdjustmentFacts")
for ps in ([0.01, 0.04, 0.03, 0.005], [0.02, 0.02, 0.5, 0.001, 0.02], [0.3, 0.6, 0.9], [0.04, 0.01, 0.03]):
    print("holm", ps, [r(x) for x in multipletests(ps, method='holm')[1]])

print("# OrdinaryLeastSquaresFacts")
rng = np.random.default_rng(20261124)
n = 24
protocols = np.array(["microneedling", "microneedling+prp", "microneedling+chemical_peel"])[rng.integers(0, 3, n)]
protocols[:3] = ["microneedling", "microneedling+prp", "microneedling+chemical_peel"]
fitz = rng.integers(2, 5, n); fitz[:3] = [2, 3, 4]
baseline = np.round(rng.uniform(4, 12, n), 1)
age = rng.integers(20, 60, n)
sessions = rng.integers(2, 7, n)
y = np.round(20 + 8 * (protocols == "microneedling+prp") + 3 * (protocols == "microneedling+chemical_peel") + 1.5 * baseline
             - 2 * (fitz == 4) + 0.1 * age + 2 * sessions + rng.normal(0, 6, n), 2)
for label, v in [("protocols", protocols), ("fitz", fitz), ("baseline", baseline), ("age", age), ("sessions", sessions), ("y", y)]:
    print(label, list(v))
X = np.column_stack([np.ones(n), (protocols == "microneedling+chemical_peel") * 1.0, (protocols == "microneedling+prp") * 1.0,
                     baseline, (fitz == 3) * 1.0, (fitz == 4) * 1.0, age, sessions])
names = ["(Intercept)", "protocol[microneedling+chemical_peel]", "protocol[microneedling+prp]", "baseline",
         "fitzpatrick[3]", "fitzpatrick[4]", "age", "sessions"]
fit = sm.OLS(y, X).fit(); q = tq(0.975, fit.df_resid)
for i, name in enumerate(names):
    b = mp.mpf(fit.params[i]); s = mp.mpf(fit.bse[i])
    print(f'("{name}", {r(b)}, {r(s)}, {r(b - q * s)}, {r(b + q * s)}, {r(fit.pvalues[i])}),')
print("df", fit.df_resid, "r2", r(fit.rsquared), "sigma", r(np.sqrt(fit.scale)))
print("exact fit", [r(v) for v in np.linalg.solve(np.array([[1, 1, 3], [1, 2, 1], [1, 4, 2]], float), np.array([2, 5, 3.0]))])
