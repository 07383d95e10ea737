export * from './conformal'
export * from './aci'
export * from './coverage'
export * from './scale'
