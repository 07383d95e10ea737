"""The textbook ETS of bench/goals.ts: statsmodels' ExponentialSmoothing with an additive damped
trend (and an additive season when m > 1) fitted on the training rows, then run forward over the
whole series with the fitted parameters and initial states fixed; each target row gets the
forecast h steps after its origin (row − h) from the states at the origin. No refit per window.

    python3 goals_ets.py series.csv train_rows m h rows.txt

series.csv: one value a line (no header); rows.txt: the target rows, one a line. Prints one JSON
line: {"mae": …, "rows": n, "oneStepCheck": max |own h=1 formula − statsmodels' fitted values|}.
"""
import json
import sys
import warnings

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

warnings.simplefilter("ignore")
y = np.loadtxt(sys.argv[1])
train, m, h = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = np.loadtxt(sys.argv[5], dtype=int, ndmin=1)
seasonal = "add" if m > 1 else None
kw = dict(trend="add", damped_trend=True, seasonal=seasonal)
if m > 1:
    kw["seasonal_periods"] = m
fit = ExponentialSmoothing(y[:train], **kw).fit()
p = fit.params
known = dict(
    initialization_method="known",
    initial_level=p["initial_level"],
    initial_trend=p["initial_trend"],
)
if m > 1:
    known["initial_seasonal"] = p["initial_seasons"]
fixed_args = dict(
    smoothing_level=p["smoothing_level"],
    smoothing_trend=p["smoothing_trend"],
    damping_trend=p["damping_trend"],
    optimized=False,
)
if m > 1:
    fixed_args["smoothing_seasonal"] = p["smoothing_seasonal"]
run = ExponentialSmoothing(y, **kw, **known).fit(**fixed_args)
level, slope = np.asarray(run.level), np.asarray(run.trend)
season = np.asarray(run.season) if m > 1 else None
phi = p["damping_trend"]


def forecast(t, steps):
    """The forecast `steps` rows after row t from the states after row t."""
    damp = sum(phi**i for i in range(1, steps + 1))
    value = level[t] + damp * slope[t]
    if season is not None:
        k = (steps - 1) // m + 1
        value += season[t + steps - m * k]
    return value


# The states' alignment checked against statsmodels' own one-step forecasts.
fitted = np.asarray(run.fittedvalues)
check_rows = range(max(m, 1) + 1, len(y))
check = max(abs(forecast(t - 1, 1) - fitted[t]) for t in check_rows)
errors = [abs(forecast(r - h, h) - y[r]) for r in rows]
print(json.dumps(dict(mae=float(np.mean(errors)), rows=int(len(rows)), oneStepCheck=float(check))))
