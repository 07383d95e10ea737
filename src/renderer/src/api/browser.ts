/**
 * The browser transport (`npm run serve`): one WebSocket to the loopback server speaking the
 * binary envelopes of `@shared/ipc/codec`, reconnecting with backoff; files are uploaded by HTTP
 * POST and then read by the server like any local file.
 */
import { decodeMessage, encodeMessage, type WireMessage } from '@shared/ipc/codec'
import { SeqcastError, fromErrorInfo, isErrorInfo, type Result } from '@shared/errors'
import type {
  Channel,
  EventName,
  Events,
  RequestInputOf,
  RequestOf,
  ResponseOf,
} from '@shared/ipc/contract'
import { formatBytes, LIMITS } from '@shared/ipc/limits'
import type { ConnectionState, PickedFile, SaveKind, SeqcastClient, UploadProgress } from './types'

const TOKEN_KEY = 'seqcast.token'

/** The session token: from `?token=` (kept in sessionStorage so a reload without it still works). */
export function sessionToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token')
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl)
    } catch {
      // storage disabled: the URL still has it
    }
    return fromUrl
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? ''
  } catch {
    return ''
  }
}

interface Pending {
  channel: string
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

const MIME: Record<SaveKind, string> = {
  csv: 'text/csv',
  model: 'application/octet-stream',
  zip: 'application/zip',
  png: 'image/png',
  json: 'application/json',
  html: 'text/html',
}

export class BrowserClient implements SeqcastClient {
  readonly transport = 'browser' as const
  connection: ConnectionState = 'connecting'
  private socket: WebSocket | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly queue: Uint8Array[] = []
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>()
  private retryDelay = 250
  private closedByUs = false

  constructor(
    private readonly token = sessionToken(),
    private readonly base = location.origin,
  ) {
    this.connect()
  }

  private setConnection(state: ConnectionState): void {
    if (this.connection === state) return
    this.connection = state
    for (const listener of this.connectionListeners) listener(state)
  }

  private connect(): void {
    const url = new URL('/ws', this.base)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    url.searchParams.set('token', this.token)
    this.setConnection('connecting')
    const socket = new WebSocket(url)
    socket.binaryType = 'arraybuffer'
    this.socket = socket
    socket.onopen = () => {
      this.retryDelay = 250
      this.setConnection('open')
      for (const frame of this.queue.splice(0)) socket.send(frame)
    }
    socket.onmessage = (event) => this.receive(event.data)
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      for (const [id, p] of this.pending) {
        this.pending.delete(id)
        p.reject(
          new SeqcastError(
            'io',
            `Lost the connection to the Seqcast server while waiting for ${p.channel}. ` +
              'Check that `npm run serve` is still running; the request may have to be repeated.',
            { channel: p.channel },
          ),
        )
      }
      this.setConnection('closed')
      if (this.closedByUs) return
      setTimeout(() => this.connect(), this.retryDelay)
      this.retryDelay = Math.min(this.retryDelay * 2, 5000)
    }
  }

  private receive(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) return
    let message: WireMessage
    try {
      message = decodeMessage(new Uint8Array(data)) as WireMessage
    } catch (error) {
      console.error('Seqcast: dropped a malformed message', error)
      return
    }
    if (message.t === 'res') {
      const p = this.pending.get(message.id)
      if (!p) return
      this.pending.delete(message.id)
      const result = message.result as Result<unknown>
      if (result && result.ok === true) p.resolve(result.value)
      else if (result && result.ok === false && isErrorInfo(result.error))
        p.reject(fromErrorInfo(result.error))
      else
        p.reject(new SeqcastError('internal', `${p.channel}: the server sent a malformed result.`))
    } else if (message.t === 'evt') {
      const set = this.listeners.get(message.event)
      if (set) for (const listener of [...set]) listener(message.payload)
    }
  }

  invoke<C extends Channel>(channel: C, request: RequestInputOf<C>): Promise<ResponseOf<C>> {
    const id = this.nextId++
    const frame = encodeMessage({ t: 'req', id, channel, payload: request } satisfies WireMessage)
    if (frame.byteLength > LIMITS.frameBytes) {
      // The server would close the socket on it (maxPayload): say why instead.
      return Promise.reject(
        new SeqcastError(
          'quota',
          `${channel}: the request is ${formatBytes(frame.byteLength)}, more than the ${formatBytes(LIMITS.frameBytes)} the browser transport carries. Use fewer columns or rows (or the desktop app or the command line).`,
          { channel, bytes: frame.byteLength, limit: LIMITS.frameBytes },
        ),
      )
    }
    return new Promise<ResponseOf<C>>((resolve, reject) => {
      this.pending.set(id, { channel, resolve: resolve as (v: unknown) => void, reject })
      if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(frame)
      else this.queue.push(frame)
    })
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    const wrapped = listener as (payload: unknown) => void
    set.add(wrapped)
    return () => set.delete(wrapped)
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  async fromDropped(files: File[]): Promise<PickedFile[]> {
    return files.map((file) => ({ name: file.name, file }))
  }

  fileSource(
    file: PickedFile,
    onProgress?: UploadProgress,
    signal?: AbortSignal,
  ): Promise<RequestOf<'dataset:import'>['source']> {
    if (file.handle !== undefined) return Promise.resolve({ handle: file.handle })
    return this.upload(file.file, onProgress, signal).then((handle) => ({ handle }))
  }

  /** POST /upload?token=…&name=… with the file as the body; XHR for upload progress. */
  private upload(file: File, onProgress?: UploadProgress, signal?: AbortSignal): Promise<string> {
    if (file.size > LIMITS.uploadBytes) {
      return Promise.reject(
        new SeqcastError(
          'quota',
          `${file.name}: ${formatBytes(file.size)} is larger than the ${formatBytes(LIMITS.uploadBytes)} an upload may have. Import it with the desktop app or the command line.`,
          { file: file.name, bytes: file.size, limit: LIMITS.uploadBytes },
        ),
      )
    }
    return new Promise((resolve, reject) => {
      const url = new URL('/upload', this.base)
      url.searchParams.set('token', this.token)
      url.searchParams.set('name', file.name)
      const xhr = new XMLHttpRequest()
      xhr.open('POST', url)
      xhr.responseType = 'text'
      xhr.upload.onprogress = (e) =>
        onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size)
      const onAbort = () => xhr.abort()
      signal?.addEventListener('abort', onAbort, { once: true })
      const done = () => signal?.removeEventListener('abort', onAbort)
      xhr.onload = () => {
        done()
        let body: unknown = null
        try {
          body = JSON.parse(xhr.responseText)
        } catch {
          // not JSON: use the text below
        }
        const b = body as { handle?: unknown; error?: unknown; ok?: boolean } | null
        if (xhr.status >= 200 && xhr.status < 300 && b && typeof b.handle === 'string') {
          resolve(b.handle)
          return
        }
        if (b && isErrorInfo(b.error)) reject(fromErrorInfo(b.error))
        else
          reject(
            new SeqcastError(
              'io',
              `${file.name}: the upload failed (HTTP ${xhr.status}${xhr.responseText ? `: ${xhr.responseText.slice(0, 200)}` : ''}). Try opening the file again.`,
              {
                file: file.name,
                status: xhr.status,
              },
            ),
          )
      }
      xhr.onerror = () => {
        done()
        reject(
          new SeqcastError(
            'io',
            `${file.name}: the upload failed (the server did not answer). Check that \`npm run serve\` is running and open the file again.`,
            { file: file.name },
          ),
        )
      }
      xhr.onabort = () => {
        done()
        reject(
          new SeqcastError('cancelled', `${file.name}: upload cancelled.`, { file: file.name }),
        )
      }
      xhr.send(file)
    })
  }

  openFilePicker(kind: 'csv' | 'model', multiple: boolean): Promise<PickedFile[] | null> {
    return new Promise((resolve) => {
      const input = document.createElement('input')
      input.type = 'file'
      input.multiple = multiple
      input.accept = kind === 'csv' ? '.csv,.tsv,.txt,text/csv' : '.zip,application/zip'
      input.style.display = 'none'
      input.dataset.testid = `file-input-${kind}`
      const finish = (files: PickedFile[] | null) => {
        input.remove()
        resolve(files)
      }
      input.addEventListener('change', () => {
        const files = [...(input.files ?? [])]
        finish(files.length ? files.map((file) => ({ name: file.name, file })) : null)
      })
      input.addEventListener('cancel', () => finish(null))
      document.body.append(input)
      input.click()
    })
  }

  async saveFile(
    suggestedName: string,
    data: string | Uint8Array,
    kind: SaveKind,
  ): Promise<string | null> {
    const part: BlobPart = typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)
    const blob = new Blob([part], { type: MIME[kind] })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = suggestedName
    a.style.display = 'none'
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 60_000)
    return suggestedName
  }

  close(): void {
    this.closedByUs = true
    this.socket?.close()
  }
}
