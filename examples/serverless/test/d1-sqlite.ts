/**
 * A D1-shaped binding over a real SQLite file (better-sqlite3), so the Worker and its D1 store run in Node
 * tests with real SQL. D1 is SQLite; this maps its API: prepare/bind, first, all, run, and batch as one
 * transaction.
 */
import Database from 'better-sqlite3';
import type { D1Database, D1PreparedStatement, D1Result } from '../src/d1-store.js';

export function sqliteD1(path: string): D1Database & { close(): void; exec(sql: string): void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON'); // as D1 enforces them

  const statement = (sql: string, values: unknown[] = []): D1PreparedStatement & { execute(): D1Result } => {
    const prepared = db.prepare(sql);
    const plain = values.map((v) => (typeof v === 'boolean' ? Number(v) : v));
    // D1 binds `?1`, `?2` by position; better-sqlite3 takes them as an object keyed by number.
    const params = /\?\d/.test(sql) ? [Object.fromEntries(plain.map((v, i) => [i + 1, v]))] : plain;
    const execute = (): D1Result => {
      if (prepared.reader)
        return { results: prepared.all(...params) as Record<string, unknown>[], meta: { changes: 0 } };
      const info = prepared.run(...params);
      return { results: [], meta: { changes: info.changes } };
    };
    return {
      bind: (...next) => statement(sql, next),
      first: async <T>() => (execute().results[0] as T | undefined) ?? null,
      all: async <T>() => execute() as D1Result<T>,
      run: async () => execute(),
      execute,
    };
  };

  return {
    prepare: (sql) => statement(sql),
    batch: async (statements) =>
      db.transaction(() => statements.map((s) => (s as ReturnType<typeof statement>).execute()))(),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}
