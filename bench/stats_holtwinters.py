"""The statsmodels side of bench/stats.ts: Holt-Winters (additive trend and season, m = 96) fitted
on the training half, then every row's one-step forecast by filtering the whole series with the
fitted parameters and initial states fixed. Prints one JSON line."""
import json
import sys
import time

started = time.perf_counter()
import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

y = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, usecols=1)
train = len(y) // 2
fit_start = time.perf_counter()
fit = ExponentialSmoothing(y[:train], trend="add", seasonal="add", seasonal_periods=96).fit()
filter_start = time.perf_counter()
p = fit.params
fixed = ExponentialSmoothing(
    y,
    trend="add",
    seasonal="add",
    seasonal_periods=96,
    initialization_method="known",
    initial_level=p["initial_level"],
    initial_trend=p["initial_trend"],
    initial_seasonal=p["initial_seasons"],
).fit(
    smoothing_level=p["smoothing_level"],
    smoothing_trend=p["smoothing_trend"],
    smoothing_seasonal=p["smoothing_seasonal"],
    optimized=False,
)
one_step = fixed.fittedvalues
done = time.perf_counter()
mae = float(np.mean(np.abs(one_step[train:] - y[train:])))
print(
    json.dumps(
        dict(
            model="Holt-Winters (A,A,A)",
            fitSeconds=filter_start - fit_start,
            filterSeconds=done - filter_start,
            inProcessSeconds=done - started,
            mae=mae,
        )
    )
)
