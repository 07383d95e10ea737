export * from './plan'
export * from './report'
