export * from './spec'
export * from './target'
export * from './choose'
