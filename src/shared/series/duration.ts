/** Durations live in the one formatting module; kept here for the modules that import them. */
export { formatDuration, formatSteps } from '../format/duration'
