export * from './spec'
export * from './presets'
export * from './summary'
export * from './validate'
