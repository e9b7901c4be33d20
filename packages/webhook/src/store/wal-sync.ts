/**
 * Group commit without blocking the event loop. The store runs SQLite with synchronous=NORMAL (a commit
 * writes its WAL frames but does not fsync them) and makes a commit durable by syncing the WAL file itself,
 * in libuv's thread pool: exactly the sync synchronous=FULL does inside every commit, but shared by every
 * commit made before it starts, and without holding the JavaScript thread for the disk (~0.5 ms here).
 * SQLite still syncs what ordering needs (the WAL header on restart, WAL and database around checkpoints),
 * and it never deletes or replaces the WAL file while a connection has the database open, so one file
 * descriptor stays valid for the store's life.
 */
import { close, closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export interface WalSync {
  /** Resolves once every commit made before the call is on disk; rejects if the disk refused to sync. */
  durable(): Promise<void>;
  /** Syncs what is pending synchronously, settles every waiter and releases the file (store close). */
  closeSync(): void;
  /** The sync error that stopped the store, if any: after one, nothing is reported durable again. */
  readonly failure: Error | undefined;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface WalSyncOptions {
  /** The WAL file (`<database>-wal`). It exists once the connection has read the database. */
  walPath: string;
  /** Builds the error reported when a sync fails. */
  syncError: (cause: Error) => Error;
  /** fdatasync in the thread pool; replaceable so tests can hold a sync while commits pile up. */
  sync?: (fd: number, done: (error: Error | null) => void) => void;
}

export function createWalSync(options: WalSyncOptions): WalSync {
  const sync = options.sync ?? fdatasync;
  let fd: number | undefined;
  let inFlight: Waiter[] | undefined; // waiters covered by the sync running now
  let waiting: Waiter[] = []; // waiters that committed after it started: they need the next one
  let failure: Error | undefined;
  let closed = false;

  const open = (): number => {
    if (fd === undefined) {
      // r+: Windows refuses to flush a handle opened read-only.
      fd = openSync(options.walPath, 'r+');
      // A new WAL file's directory entry must survive power loss too (SQLite syncs it as well; this is
      // once per process and costs nothing next to the first lead).
      if (process.platform !== 'win32') {
        const dir = openSync(dirname(options.walPath), 'r');
        try {
          fsyncSync(dir);
        } finally {
          closeSync(dir);
        }
      }
    }
    return fd;
  };

  const fail = (error: Error, waiters: Waiter[]) => {
    // After a failed fsync the kernel may have dropped the unwritten pages: a later sync that succeeds
    // proves nothing about them, so no later commit is reported durable either (fail-stop, like PostgreSQL).
    failure ??= options.syncError(error);
    for (const w of waiters) w.reject(failure);
  };

  const start = () => {
    const batch = waiting;
    waiting = [];
    inFlight = batch;
    let descriptor: number;
    try {
      descriptor = open();
    } catch (error) {
      inFlight = undefined;
      fail(error as Error, batch);
      return;
    }
    sync(descriptor, (error) => {
      inFlight = undefined;
      if (closed) {
        // closeSync synced and settled everything; the descriptor waited for this call to finish.
        close(descriptor, () => {});
        return;
      }
      if (error) {
        fail(error, [...batch, ...waiting]);
        waiting = [];
        return;
      }
      for (const w of batch) w.resolve();
      if (waiting.length > 0) start();
    });
  };

  return {
    durable() {
      if (failure) return Promise.reject(failure);
      if (closed) return Promise.reject(options.syncError(new Error('the store is closed')));
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!inFlight) start();
      });
    },
    closeSync() {
      if (closed) return;
      closed = true;
      const pending = [...(inFlight ?? []), ...waiting];
      waiting = [];
      if (pending.length > 0) {
        try {
          if (failure) throw failure;
          fdatasyncSync(open());
          for (const w of pending) w.resolve();
        } catch (error) {
          fail(error as Error, pending);
        }
      }
      if (fd !== undefined && !inFlight) closeSync(fd);
    },
    get failure() {
      return failure;
    },
  };
}
