import type {SqlJsStatic} from 'sql.js'

import type {HeaderBlobs} from './database.js'

/** Loaded once per process and only when a sqlite database is met: compiling the WebAssembly module is the slow part. */
let engine: Promise<SqlJsStatic> | undefined

/**
 * The header blobs of an rpm sqlite database (rpm >= 4.16: RHEL 9, Fedora 33+, `rpmdb.sqlite`), read
 * with sql.js, SQLite compiled to WebAssembly (Node 20 has no `node:sqlite`; nothing native to build).
 * rpm keeps one row per package in `Packages(hnum, blob)`. The database is opened from memory: the
 * caller bounds its size, and a WAL left beside it is not read (rpm checkpoints on close).
 */
export async function readSqliteBlobs(bytes: Uint8Array): Promise<HeaderBlobs> {
  const SQL = await (engine ??= import('sql.js').then(({default: initSqlJs}) => initSqlJs()))
  let database
  try {
    database = new SQL.Database(bytes)
    const statement = database.prepare('SELECT blob FROM Packages ORDER BY hnum')
    const blobs: Uint8Array[] = []
    let skipped = 0
    while (statement.step()) {
      const [blob] = statement.get()
      if (blob instanceof Uint8Array) blobs.push(blob)
      else skipped++
    }
    statement.free()
    return {blobs, skipped}
  } catch (error) {
    throw new Error(`not a readable rpm sqlite database: ${(error as Error).message.split('\n')[0]}`)
  } finally {
    database?.close()
  }
}
