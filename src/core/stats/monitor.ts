/**
 * How a long fit reports and stops: the estimators call `step` before each estimation (one ETS
 * candidate, one ARIMA order, one STL pass), so a fit in the engine worker reports progress and
 * stops between steps — a single step of the WebAssembly ARIMA cannot be interrupted.
 */
export interface FitMonitor {
  /**
   * Step `done` of `total` (0-based) is about to run; `label` names it ("ETS(A,Ad,A)",
   * "ARIMA(1,1,1)(0,1,1)[12]", "STL season 96"). Throws (e.g. `cancelled`) to stop the fit.
   */
  step(label: string, done: number, total: number): void
}
