/**
 * Structured logs: one JSON object per line, one line per intake and per delivery attempt. Entries carry
 * ids, outcomes and timings only; never secrets and never the values of a lead's fields.
 */

export interface LogEntry {
  event: 'intake' | 'attempt' | 'worker' | 'server' | 'admin' | 'purge' | 'outcome';
  level?: 'info' | 'warn' | 'error';
  [key: string]: unknown;
}

export type Logger = (entry: LogEntry) => void;

/** Writes each entry as a JSON line through `write` (console.log by default, which works on every runtime). */
export function jsonLogger(write: (line: string) => void = (line) => console.log(line)): Logger {
  return (entry) => write(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry }));
}

export const silentLogger: Logger = () => {};

/**
 * Writes lines to a Node stream, one write per event-loop turn instead of one per line (a write is a
 * syscall; under load that was a few percent of intake). Pending lines are flushed on exit.
 */
export function batchedLineWriter(stream: { write(chunk: string): unknown }): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  };
  globalThis.process?.once('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}
