/** The one place that decides how numbers, durations and timestamps are written. */
export * from './number'
export * from './duration'
export * from './time'
export * from './labels'
