import { addMonths } from './calendar'
import type { TimeCadence } from './time-axis'

/**
 * The time `steps` cadence steps after `lastTime` (epoch ms, UTC): whole calendar months for
 * monthly, quarterly and yearly cadences (kept at month ends for month-end series), fixed
 * milliseconds otherwise. Used for the target times of windows that reach past the data's end.
 */
export function timeAfter(
  lastTime: number,
  cadence: Pick<TimeCadence, 'ms' | 'months' | 'monthEnd'>,
  steps: number,
): number {
  return cadence.months > 0
    ? addMonths(lastTime, steps * cadence.months, cadence.monthEnd)
    : lastTime + steps * cadence.ms
}
