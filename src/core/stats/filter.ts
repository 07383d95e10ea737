/**
 * A statistical model run forward over a series with its fitted parameters fixed: one `update`
 * per row in order, and forecasts from the state after the last row taken. Every model family in
 * this folder provides one, so per-window forecasts are a single O(n) pass (DESIGN.md, "The
 * evaluation contract").
 */
export interface StatFilter {
  /** Takes the next row's value into the state; NaN (a missing row) lets the state run on. */
  update(y: number): void
  /**
   * Writes the forecasts for steps `h … h+H−1` after the last row taken into
   * `out[offset … offset+H−1]`.
   */
  forecast(h: number, H: number, out: Float64Array, offset: number): void
}
