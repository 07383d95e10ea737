import { describe, expect, it } from 'vitest'
import { createApi, type Handlers } from '../../../src/core/services/api'
import { CHANNEL_NAMES } from '../../../src/shared/ipc/names'
import { requestSchemas } from '../../../src/shared/ipc/contract'
import { SeqcastError } from '../../../src/shared/errors'
import { presetSpec } from '../../../src/shared/models'
import { DEFAULT_TRAINING } from '../../../src/shared/experiment'

// Handlers that record what reached them: validation must stop bad payloads before this point.
function recordingApi() {
  const seen: { channel: string; request: unknown }[] = []
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((c) => [
      c,
      async (request: unknown) => {
        seen.push({ channel: c, request })
        if (c === 'run:result')
          throw new SeqcastError('not-found', 'Run r1 is not known to this session.', {
            runId: 'r1',
          })
        return { echoed: true }
      },
    ]),
  ) as unknown as Handlers
  return { api: createApi(handlers), seen }
}

const runConfig = {
  experiment: {
    target: 'y',
    features: ['y'],
    window: { sequenceLength: 4, samplingRate: 1, sequenceStride: 1, delay: 4, horizon: 1 },
    split: { train: 0.5, val: 0.25 },
    normalization: 'zscore',
    seasonRows: null,
  },
  model: presetSpec('lstm'),
  training: DEFAULT_TRAINING,
}
const data = {
  datasetName: 'a.csv',
  rowCount: 3,
  columns: [{ name: 'y', values: Float64Array.of(1, 2, 3) }],
  timeColumn: 'day',
  timestamps: Float64Array.of(0, 86_400_000, 172_800_000),
  schema: [
    { name: 'day', kind: 'datetime' },
    { name: 'y', kind: 'numeric' },
    { name: 'note', kind: 'text' },
  ],
}

describe('the IPC contract at the main side', () => {
  it('names match the schemas', () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(requestSchemas).sort())
  })

  it('passes valid requests through and wraps results', async () => {
    const { api, seen } = recordingApi()
    expect(await api.dispatch('run:start', { runId: 'r1', config: runConfig, data })).toEqual({
      ok: true,
      value: { echoed: true },
    })
    expect(seen).toHaveLength(1)
  })

  it('turns thrown errors into {ok:false, error:{kind,message,details}}', async () => {
    const { api } = recordingApi()
    expect(await api.dispatch('run:result', { runId: 'r1' })).toEqual({
      ok: false,
      error: {
        kind: 'not-found',
        message: 'Run r1 is not known to this session.',
        details: { runId: 'r1' },
      },
    })
  })

  const bad: [string, unknown, RegExp][] = [
    ['nope:channel', {}, /Unknown channel "nope:channel"/],
    ['app:info', { extra: 1 }, /app:info: request: Unrecognized key/],
    ['dataset:import', { jobId: 'j1', source: {} }, /dataset:import: request.source/],
    [
      'dataset:import',
      { jobId: 'j 1', source: { path: '/x.csv' } },
      /request.jobId: expected an id/,
    ],
    ['dialog:open', { kind: 'exe', multiple: true }, /request.kind/],
    [
      'run:start',
      { runId: 'r1', config: { ...runConfig, training: { ...DEFAULT_TRAINING, epochs: 0 } }, data },
      /request.config.training.epochs/,
    ],
    [
      'run:start',
      {
        runId: 'r1',
        config: runConfig,
        data: { ...data, columns: [{ name: 'y', values: [1, 2, 3] }] },
      },
      /request.data.columns\[0\].values/,
    ],
    [
      'run:start',
      { runId: 'r1', config: runConfig, data: { ...data, rowCount: 5 } },
      /column "y": expected 5 values, received 3/,
    ],
    [
      'run:start',
      {
        runId: 'r1',
        config: {
          ...runConfig,
          model: { ...runConfig.model, layers: [{ type: 'lstm', units: -1 }] },
        },
        data,
      },
      /request.config.model.layers\[0\].units/,
    ],
    [
      'run:start',
      {
        runId: 'r1',
        config: runConfig,
        data: { ...data, columns: [{ ...data.columns[0], name: 'note' }] },
      },
      /column "note": expected a numeric column of the schema, received text/,
    ],
    [
      'run:start',
      {
        runId: 'r1',
        config: runConfig,
        data: {
          ...data,
          textColumns: [{ name: 'y', codes: Int32Array.of(0, 0, 0), categories: ['a'] }],
        },
      },
      /column "y": expected a text column of the schema, received numeric/,
    ],
    [
      'run:start',
      {
        runId: 'r1',
        config: runConfig,
        data: {
          ...data,
          textColumns: [{ name: 'note', codes: Int32Array.of(0, 1, 2), categories: ['a'] }],
        },
      },
      /column "note": expected codes from -1 \(missing\) to 0/,
    ],
    [
      'run:start',
      { runId: 'r1', config: runConfig, data: { ...data, timeColumn: 'y' } },
      /request.data.timestamps: expected timestamps only with a datetime time column/,
    ],
    [
      'run:start',
      { runId: 'r1', config: runConfig, data: { ...data, timeColumn: 'when' } },
      /request.data.timeColumn: expected a column of the schema, received "when"/,
    ],
    [
      'model:predict',
      { package: { manifest: {}, modelJson: {}, weights: [1, 2] }, data },
      /request.package.weights/,
    ],
    ['run:cancel', null, /run:cancel: request: /],
  ]
  it.each(bad)(
    'rejects %s with a bad payload as invalid-payload',
    async (channel, payload, message) => {
      const { api, seen } = recordingApi()
      const result = await api.dispatch(channel, payload)
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.error.kind).toBe('invalid-payload')
      expect(result.error.message).toMatch(message)
      expect(seen).toHaveLength(0)
    },
  )
})
