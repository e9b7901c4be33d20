/**
 * The outbox: every lead is written to localStorage before its first attempt and removed once the server
 * has answered for good (2xx, or a 4xx that retrying cannot fix). What remains is sent again when the
 * browser comes back online and on the next page view. The server de-duplicates by lead id.
 */
import type { LeadInput } from '@leadkit/core/lead';
import { type SendOptions, type SendResult, sendWithRetry } from './transport.js';

const KEY = 'leadkit:outbox';
const MAX_ENTRIES = 20;
const MAX_AGE_MS = 30 * 86_400_000;

export interface OutboxEntry {
  endpoint: string;
  lead: LeadInput;
  queuedAt: number;
}

type Listener = (id: string, result: SendResult) => void;

const listeners = new Set<Listener>();
/** Ids being sent right now, so a flush never races the first attempt. */
const inFlight = new Set<string>();
let flushing: Promise<void> | undefined;

export function pending(): OutboxEntry[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

function save(list: OutboxEntry[]): boolean {
  try {
    if (list.length) localStorage.setItem(KEY, JSON.stringify(list.slice(-MAX_ENTRIES)));
    else localStorage.removeItem(KEY);
    return true;
  } catch {
    return false;
  }
}

const without = (id: string) => pending().filter((e) => e.lead.id !== id);

/** Stores (or replaces) a lead; false when storage is unavailable, so nobody claims it was saved. */
export const keep = (endpoint: string, lead: LeadInput): boolean =>
  save([...without(lead.id), { endpoint, lead, queuedAt: Date.now() }]);

export const drop = (id: string): boolean => save(without(id));

/** Called for each lead the outbox settles (delivered, or refused for good). */
export function onSettled(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Sends one lead now: kept first, dropped once settled. */
export async function sendKept(endpoint: string, lead: LeadInput, options?: SendOptions) {
  const kept = keep(endpoint, lead);
  inFlight.add(lead.id);
  const result = await sendWithRetry(endpoint, lead, options).finally(() => inFlight.delete(lead.id));
  if (result.ok || !result.retry) drop(lead.id);
  return { result, kept };
}

/** Sends what is waiting, oldest first; stops at the first lead that still cannot get through. */
export function flush(options: SendOptions = { attempts: 1 }): Promise<void> {
  flushing ??= (async () => {
    for (const entry of pending()) {
      const id = entry.lead.id;
      if (inFlight.has(id)) continue;
      if (Date.now() - entry.queuedAt > MAX_AGE_MS) {
        drop(id);
        continue;
      }
      inFlight.add(id);
      const result = await sendWithRetry(entry.endpoint, entry.lead, options).finally(() =>
        inFlight.delete(id),
      );
      if (!result.ok && result.retry) break;
      drop(id);
      if (!result.ok)
        console.warn(
          `[leadkit] The server refused queued lead ${id} (${result.error}); it was removed from the outbox.`,
        );
      for (const l of listeners) l(id, result);
    }
  })().finally(() => {
    flushing = undefined;
  });
  return flushing;
}

let watching = false;

/** Flushes whenever the browser reports it is back online. Safe to call more than once. */
export function watchOnline(): void {
  if (watching) return;
  watching = true;
  addEventListener('online', () => void flush());
}
