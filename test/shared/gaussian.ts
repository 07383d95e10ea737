import { seededRandom } from '../../src/shared/windows/random'

/** Standard normal draws (Box–Muller) from the seeded generator every process shares. */
export function gaussian(seed: number): () => number {
  const rand = seededRandom(seed)
  return () => {
    const u = 1 - rand() // (0, 1]: log(0) is -Infinity
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())
  }
}
