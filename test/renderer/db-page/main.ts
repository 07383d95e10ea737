/**
 * A test page that puts the renderer's real db.ts (and Dexie) on `window.seqcastDb`, so the
 * migration tests can drive it in Chromium's real IndexedDB.
 */
import Dexie from 'dexie'
import * as db from '../../../src/renderer/src/db'

declare global {
  interface Window {
    seqcastDb: typeof db & { Dexie: typeof Dexie }
  }
}

window.seqcastDb = { ...db, Dexie }
document.body.dataset.ready = 'true'
