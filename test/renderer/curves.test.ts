/**
 * The Train view's curves chart draws "naive val MAE …" whole: inside the plot, off the canvas
 * edge and off every other label (issue #12: it was cut at the right edge). Rendered by ECharts
 * itself (SVG, server-side) at the chart's width in a 1440 and a 1280 px window, and read back
 * from its scene: where the naive line sits on the axis (top, middle, bottom) is set by hand.
 */
import { describe, expect, it } from 'vitest'
import * as echarts from 'echarts'
import type { EpochRecord } from '../../src/shared/run'
import type { EChartsType } from '../../src/renderer/src/charts/echarts'
import { curvesOption, maeAxisBounds } from '../../src/renderer/src/lib/curves'
import { drawnTexts, unreadableTexts } from '../../src/renderer/src/charts/drawn-text'

function epochs(valMae: number[]): EpochRecord[] {
  return valMae.map((m, i) => ({
    epoch: i + 1,
    loss: 1.2 - 0.1 * i,
    valLoss: 1.3 - 0.05 * i,
    valMae: m,
    seconds: 0.3,
    samplesPerSecond: 3000,
    learningRate: 0.001,
  }))
}

/** Widths of the curves chart (its card's inner width) in a 1440 and a 1280 px window. */
const WIDTHS = [1160, 1000]

const CASES: [string, number, number[]][] = [
  // EuStockMarkets, 2 epochs: the model worse than naive, the line below every epoch.
  ['below every epoch', 9.741, [11.3, 10.95]],
  // A model that beats naive from the first epoch: the line just under the axis top.
  ['above every epoch', 1234.5, [300, 200, 190]],
  ['between the epochs', 2.457, [2.59, 2.41, 2.54]],
  ['a long number', 123456.7, [150000, 110000]],
]

function render(width: number, history: EpochRecord[], naive: number): EChartsType {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height: 340 })
  chart.setOption(curvesOption(history, [], naive, 10) as echarts.EChartsCoreOption)
  chart.renderToSVGString() // lays out the labels
  return chart as unknown as EChartsType
}

describe('the naive val MAE label of the curves chart', () => {
  for (const width of WIDTHS)
    for (const [where, naive, maes] of CASES)
      it(`is whole at ${width} px with the line ${where}`, () => {
        const chart = render(width, epochs(maes), naive)
        const label = drawnTexts(chart).find((t) => t.text.startsWith('naive val MAE'))
        expect(label).toBeDefined()
        // Inside the plot (grid: left 60, right 70, top 40, bottom 40).
        expect(label!.x).toBeGreaterThanOrEqual(60)
        expect(label!.x + label!.width).toBeLessThanOrEqual(width - 70)
        expect(label!.y).toBeGreaterThanOrEqual(40)
        expect(label!.y + label!.height).toBeLessThanOrEqual(340 - 40)
        // Nothing it touches, nothing else cut either.
        expect(unreadableTexts(chart)).toEqual([])
        ;(chart as unknown as echarts.ECharts).dispose()
      })

  it('writes the number in the target units’ style', () => {
    const chart = render(1000, epochs([150000, 110000]), 123456.7)
    expect(drawnTexts(chart).map((t) => t.text)).toContain('naive val MAE 123,457')
    ;(chart as unknown as echarts.ECharts).dispose()
  })
})

describe('the MAE axis of the curves chart', () => {
  // An LSTM on hourly meters cancelled at epoch 17 (i18-tryout2): the axis began at "0.31".
  const maes = [1.139, 0.578, 0.47, 0.434, 0.466, 0.393, 0.372, 0.377, 0.361, 0.404, 0.395]
  it('ends on multiples of a round step, ticked at it', () => {
    // 0.361 · 0.95 = 0.343 … 1.139 · 1.05 = 1.196: a fifth is 0.171, so steps of 0.2
    expect(maeAxisBounds(maes, 0.8788)).toEqual({ min: 0.2, max: 1.2, interval: 0.2 })
    // naive above every epoch: 1234.5 · 1.05 = 1296.2, 190 · 0.95 = 180.5; a fifth 223 → 250
    expect(maeAxisBounds([300, 200, 190], 1234.5)).toEqual({ min: 0, max: 1500, interval: 250 })
    expect(maeAxisBounds(maes, null)).toEqual({})
  })

  it('is labelled at those multiples only', () => {
    const chart = render(1160, epochs(maes), 0.8788)
    const texts = drawnTexts(chart).map((t) => t.text)
    for (const tick of ['0.2', '0.4', '0.6', '0.8', '1', '1.2']) expect(texts).toContain(tick)
    expect(texts.filter((t) => /^0\.3\d/.test(t))).toEqual([])
    ;(chart as unknown as echarts.ECharts).dispose()
  })
})
