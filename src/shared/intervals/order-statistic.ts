/**
 * The k-th smallest of a growing set of values, in O(log n) per insert and per query: a Fenwick
 * tree of counts over the ranks of all values the set may ever hold. Ranking every value up front
 * reads nothing of them but their order; `kth` answers from the inserted values only, exactly as
 * sorting the inserted values would.
 */
export class GrowingOrderStatistic {
  private readonly sortedValues: Float64Array
  private readonly rankOf: Int32Array
  private readonly tree: Int32Array
  private readonly top: number
  size = 0

  /** `values`: every value that may be inserted, referred to by its index. */
  constructor(values: ArrayLike<number>) {
    const n = values.length
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
      values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0,
    )
    this.sortedValues = Float64Array.from(order, (i) => values[i])
    this.rankOf = new Int32Array(n)
    order.forEach((i, rank) => (this.rankOf[i] = rank))
    this.tree = new Int32Array(n + 1)
    let top = 1
    while (top * 2 <= n) top *= 2
    this.top = top
  }

  /** Adds value number `index` of the constructor's list. */
  insert(index: number): void {
    for (let i = this.rankOf[index] + 1; i < this.tree.length; i += i & -i) this.tree[i]++
    this.size++
  }

  /** The k-th smallest inserted value, 1 ≤ k ≤ size. */
  kth(k: number): number {
    let pos = 0
    let rest = k
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step
      if (next < this.tree.length && this.tree[next] < rest) {
        pos = next
        rest -= this.tree[next]
      }
    }
    return this.sortedValues[pos]
  }
}
