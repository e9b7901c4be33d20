/**
 * Copies the WAL back into the database file from a worker thread with its own connection, so a
 * checkpoint's page copies and its two fsyncs never stall requests (SQLite runs them inside a commit,
 * on the committing thread, every 1000 pages). The main connection's automatic checkpoints are off while
 * the thread runs and come back if it cannot start or stops. PASSIVE checkpoints never block writers.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

const EVERY_MS = 100;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

// Plain CommonJS evaluated in the thread: it needs only the driver, so it runs the same from src and dist.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// NORMAL: a checkpoint syncs the WAL before copying and the database file after.
db.pragma('synchronous = NORMAL');
// A failure ends the thread (its 'error' event): the main connection then checkpoints for itself.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread; the main connection checkpoints for itself again. */
  stop(): void;
}

export function startCheckpointer(db: Database.Database, path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { driver, path, everyMs: EVERY_MS } });
  // The store's close() stops it; it must never keep a process alive on its own.
  worker.unref();
  let running = true;
  const fallBack = () => {
    if (!running) return;
    running = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  };
  worker.once('online', () => {
    if (running && db.open) db.pragma('wal_autocheckpoint = 0');
  });
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  return {
    stop() {
      fallBack();
      worker.postMessage('stop');
    },
  };
}
