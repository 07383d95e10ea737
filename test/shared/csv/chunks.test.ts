import { describe, expect, it } from 'vitest'
import type { SeqcastError } from '../../../src/shared/errors'
import { caught, enc, parse, parseInChunks } from './helpers'

// Chunk boundaries land inside quoted fields, CRLF pairs, multi-byte characters, numbers,
// datetimes and the BOM: every split must give the same dataset and report as one piece.
const tricky: Record<string, string> = {
  quotes:
    'id,text,v\r\n1,"a, ""quoted""\r\nnext line",1.5\r\n2,"Zürich",-2e-3\r\n3,東京,"7"\r\n4,,\r\n',
  bom: '\uFEFFtime,value\n2020-01-01T00:00:00Z,1\n2020-01-01T01:00:00+01:00,2\n2020-01-01T02:00:00Z,3',
  uci: '"";"MT_001";"MT_002"\r\n"2011-01-01 00:15:00";0;2,53807106598985\r\n"2011-01-01 00:30:00";1,5;-3,25\r\n',
  cr: 'a,b\r1,2\r3,4\r',
  trailingCr: 'a,b\r\n1,2\r\n3,4\r',
  ragged: 'a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12\n\n',
  jena: 'Date Time,p (mbar),T (degC)\n01.01.2009 00:10:00,996.52,-8.02\n01.01.2009 00:20:00,996.57,-8.41\n01.01.2009 00:30:00,996.53,-8.51\n01.01.2009 00:50:00,-9999,-8.31\n',
  missing: 'x,y\n1,NA\nNaN,2\n?,null\n3,4\n',
  unclosed: 'a,b\n1,"x\n2,y\n',
}

const sizes = [1, 2, 3, 7, 64, 4096]

function sameResult(input: string | Uint8Array): void {
  // sniffBytes 16 makes rows stream through the byte loop chunk by chunk after a tiny sample;
  // the default sniffs the whole small input at finish()
  for (const sniffBytes of [16, undefined]) {
    const whole = parse(input, { sniffBytes })
    for (const size of sizes) {
      const split = parseInChunks(input, size, { sniffBytes })
      const label = `chunk size ${size}, sniffBytes ${sniffBytes}`
      expect(split.dataset, label).toEqual(whole.dataset)
      expect(split.report, label).toEqual(whole.report)
      expect(split.rowLines, label).toEqual(whole.rowLines)
    }
  }
}

describe('chunk-boundary invariance', () => {
  for (const [name, input] of Object.entries(tricky)) {
    it(`gives the same result for every chunk size: ${name}`, () => sameResult(input))
  }

  it('reads the tricky inputs to the known values', () => {
    const q = parseInChunks(tricky.quotes, 1)
    const text = q.dataset.columns[1]
    expect(
      text.kind === 'text' && Array.from(text.codes, (k) => text.categories[k] ?? null),
    ).toEqual(['a, "quoted"\r\nnext line', 'Zürich', '東京', null])
    const v = q.dataset.columns[2]
    expect(v.kind === 'numeric' && Array.from(v.values).slice(0, 3)).toEqual([1.5, -0.002, 7])
    const b = parseInChunks(tricky.bom, 2)
    expect(b.dataset.columns[0].name).toBe('time')
    const t = b.dataset.columns[0]
    // 01:00+01:00 is midnight UTC: a duplicate of the first row
    expect(t.kind === 'datetime' && Array.from(t.values)).toEqual([
      Date.UTC(2020, 0, 1),
      Date.UTC(2020, 0, 1),
      Date.UTC(2020, 0, 1, 2),
    ])
    const tc = parseInChunks(tricky.trailingCr, 1)
    expect(tc.report.file.lineEnding).toBe('mixed') // CRLF, then a lone CR at the very end
    expect(tc.dataset.rowCount).toBe(2)
  })

  it('gives the same result for a 400 KB file (beyond the sniff sample) in odd chunk sizes', () => {
    const lines = ['Date Time,a,b,c']
    const start = Date.UTC(2009, 0, 1)
    for (let i = 0; i < 9000; i++) {
      const d = new Date(start + i * 600_000)
      const p2 = (n: number) => String(n).padStart(2, '0')
      const stamp = `${p2(d.getUTCDate())}.${p2(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:00`
      const b = i % 997 === 5 ? '"1,5"' : (Math.sin(i) * 1000).toFixed(i % 7)
      lines.push(`${stamp},${(i * 0.37).toFixed(2)},${b},"q${i % 13}""x"""`)
    }
    const input = enc.encode(lines.join('\r\n') + '\r\n')
    expect(input.length).toBeGreaterThan(300_000)
    const whole = parse(input)
    expect(whole.dataset.rowCount).toBe(9000)
    for (const size of [7, 1000, 65536, 262_145]) {
      const split = parseInChunks(input, size)
      expect(split.dataset, `chunk size ${size}`).toEqual(whole.dataset)
      expect(split.report, `chunk size ${size}`).toEqual(whole.report)
    }
  })

  it('fails the same way for bad input in any chunk size', () => {
    for (const input of ['', 'a,b\n', '\uFEFF\n\n']) {
      const whole = caught(() => parse(input)) as SeqcastError
      for (const size of [1, 2, 3]) {
        const split = caught(() => parseInChunks(input, size)) as SeqcastError
        expect(split.kind).toBe('csv')
        expect(split.details.code).toBe(whole.details.code)
      }
    }
  })
})
