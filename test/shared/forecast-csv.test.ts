import { describe, expect, it } from 'vitest'
import { formatForecastCsv, originsOf, parseForecastCsv } from '../../src/shared/forecast-csv'
import { decimalYearToMs } from '../../src/shared/series/calendar'

describe('forecasts CSV', () => {
  it('writes one line per value with residual = actual − predicted, future rows marked', () => {
    const text = formatForecastCsv([
      {
        split: 'val',
        horizon: 2,
        targetRows: Int32Array.of(10, 11),
        timestamps: Float64Array.of(0, 600_000, 600_000, 1_200_000),
        actual: Float64Array.of(1, 2, 2, 3),
        predicted: Float64Array.of(0.5, 2.25, 1 / 3, 3),
      },
      {
        split: 'future',
        horizon: 1,
        targetRows: Int32Array.of(20),
        timestamps: null,
        actual: null,
        predicted: Float64Array.of(4.5),
      },
    ])
    expect(text).toBe(
      [
        'timestamp,split,row,step,actual,predicted,residual,lower,upper,origin',
        '1970-01-01T00:00:00.000Z,val,10,1,1,0.5,0.5,,,',
        '1970-01-01T00:10:00.000Z,val,11,2,2,2.25,-0.25,,,',
        '1970-01-01T00:10:00.000Z,val,11,1,2,0.333333333333333,1.66666666666667,,,',
        '1970-01-01T00:20:00.000Z,val,12,2,3,3,0,,,',
        ',future,20,1,,4.5,,,,',
        '',
      ].join('\n'),
    )
  })
  it('round-trips the numbers to 15 significant digits', () => {
    const predicted = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) * 1e3 + 1 / 7)
    const rows = parseForecastCsv(
      formatForecastCsv([
        {
          split: 'test',
          horizon: 1,
          targetRows: Int32Array.from({ length: 50 }, (_, i) => i),
          timestamps: null,
          actual: predicted,
          predicted,
        },
      ]),
    )
    rows.forEach((r, i) => {
      expect(Math.abs(r.predicted - predicted[i])).toBeLessThanOrEqual(
        5e-15 * Math.abs(predicted[i]),
      )
      expect(r.predicted.toPrecision(15)).toBe(predicted[i].toPrecision(15))
    })
    expect(rows.every((r) => r.residual === 0)).toBe(true)
  })

  it('lower,upper: the interval of each value, -inf / inf where it is unbounded, future rows too', () => {
    const text = formatForecastCsv([
      {
        split: 'test',
        horizon: 2,
        targetRows: Int32Array.of(5),
        timestamps: null,
        actual: Float64Array.of(1, 2),
        predicted: Float64Array.of(1.5, 2),
        lower: Float64Array.of(0.25, -Infinity),
        upper: Float64Array.of(2.75, Infinity),
      },
      {
        split: 'future',
        horizon: 1,
        targetRows: Int32Array.of(7),
        timestamps: null,
        actual: null,
        predicted: Float64Array.of(3),
        lower: Float64Array.of(2),
        upper: Float64Array.of(4),
      },
    ])
    expect(text.trimEnd().split('\n')).toEqual([
      'timestamp,split,row,step,actual,predicted,residual,lower,upper,origin',
      ',test,5,1,1,1.5,-0.5,0.25,2.75,',
      ',test,6,2,2,2,0,-inf,inf,',
      ',future,7,1,,3,,2,4,',
    ])
    const rows = parseForecastCsv(text)
    expect(rows.map((r) => [r.lower, r.upper])).toEqual([
      [0.25, 2.75],
      [-Infinity, Infinity],
      [2, 4],
    ])
  })

  it('reads files written before intervals (no lower,upper columns)', () => {
    const rows = parseForecastCsv(
      'timestamp,split,row,step,actual,predicted,residual\n,val,3,1,1,2,-1\n',
    )
    expect(rows).toEqual([
      {
        timestamp: '',
        split: 'val',
        row: 3,
        step: 1,
        actual: 1,
        predicted: 2,
        residual: -1,
        lower: null,
        upper: null,
        origin: '',
      },
    ])
  })
  it('writes dates for date-only data and numbers without float noise', () => {
    const day = Date.UTC(2014, 0, 14)
    const text = formatForecastCsv([
      {
        split: 'test',
        horizon: 1,
        targetRows: Int32Array.of(5, 6),
        timestamps: Float64Array.of(day, day + 86_400_000),
        actual: Float64Array.of(23.1, 7),
        predicted: Float64Array.of(22.87, 6.5),
      },
    ])
    expect(text.split('\n').slice(1, 3)).toEqual([
      '2014-01-14,test,5,1,23.1,22.87,0.23,,,',
      '2014-01-15,test,6,1,7,6.5,0.5,,,',
    ])
    expect(23.1 - 22.87).toBe(0.23000000000000043) // what String(actual − predicted) wrote
  })
  it('writes decimal years as the file wrote them when told the time style', () => {
    const t = Float64Array.of(decimalYearToMs(1998.64615384615))
    const text = formatForecastCsv(
      [
        {
          split: 'future',
          horizon: 1,
          targetRows: Int32Array.of(1860),
          timestamps: t,
          actual: null,
          predicted: Float64Array.of(2.5),
        },
      ],
      { kind: 'decimal-year', decimals: 4 },
    )
    expect(text.split('\n')[1]).toBe('1998.64615384615,future,1860,1,,2.5,,,,')
  })

  it('origin: the time of each window’s last row, so H > 1 timestamps forecast from different origins tell apart', () => {
    // Hourly rows; L 3, R 2, delay 6: the window starting at s reads s, s+2, s+4, so its last
    // row is s+4 and its first target s+6: lead = 6 − (3−1)·2 = 2 rows.
    const HOUR = 3_600_000
    const time = Float64Array.from({ length: 40 }, (_, r) => Date.UTC(2020, 0, 1) + r * HOUR)
    const origins = originsOf({ sequenceLength: 3, samplingRate: 2, delay: 6 }, time)
    expect(origins.lead).toBe(2)
    const text = formatForecastCsv(
      [
        {
          split: 'test',
          horizon: 2,
          // windows starting at rows 20 and 21: first targets 26 and 27
          targetRows: Int32Array.of(26, 27),
          timestamps: Float64Array.of(time[26], time[27], time[27], time[28]),
          actual: Float64Array.of(1, 2, 2, 3),
          predicted: Float64Array.of(1, 2, 2, 3),
        },
        {
          split: 'future',
          horizon: 1,
          targetRows: Int32Array.of(41), // from the last row, 39 = 41 − 2
          timestamps: Float64Array.of(time[39] + 2 * HOUR),
          actual: null,
          predicted: Float64Array.of(4),
        },
      ],
      undefined,
      origins,
    )
    const rows = parseForecastCsv(text)
    // Row 27's timestamp appears twice (step 2 of the first window, step 1 of the second):
    // its origins are rows 24 and 25.
    expect(rows.map((r) => [r.row, r.step, r.origin])).toEqual([
      [26, 1, '2020-01-02T00:00:00.000Z'],
      [27, 2, '2020-01-02T00:00:00.000Z'],
      [27, 1, '2020-01-02T01:00:00.000Z'],
      [28, 2, '2020-01-02T01:00:00.000Z'],
      [41, 1, '2020-01-02T15:00:00.000Z'],
    ])
    // Without a time axis the origin is the row number.
    const rowsOnly = parseForecastCsv(
      formatForecastCsv(
        [
          {
            split: 'val',
            horizon: 1,
            targetRows: Int32Array.of(10),
            timestamps: null,
            actual: Float64Array.of(1),
            predicted: Float64Array.of(1),
          },
        ],
        undefined,
        originsOf({ sequenceLength: 3, samplingRate: 2, delay: 6 }, null),
      ),
    )
    expect(rowsOnly[0].origin).toBe('8')
  })
})
