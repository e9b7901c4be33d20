/**
 * A destination the SSRF guard refuses fails for good with the guard's reason, whichever destination hit
 * it and however the error reached the worker: returned, thrown by a custom destination, or thrown by a
 * guard from another copy of the package (same code, different class).
 */
import { join } from 'node:path';
import { type Lead, parseLead } from '@leadkit/core/lead';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlack } from '../src/destinations/slack.js';
import type { Destination } from '../src/destinations/types.js';
import { createWebhookDestination } from '../src/destinations/webhook.js';
import { generateSecret } from '../src/signing.js';
import { createGuardedFetch } from '../src/ssrf.js';
import { findSsrfError } from '../src/ssrf-rules.js';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite.js';
import { createWorker, type DeliveryWorker } from '../src/worker.js';
import { fullLead, tempDir, until } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let worker: DeliveryWorker | undefined;
beforeEach(() => {
  tmp = tempDir();
  store = createSqliteStore({ path: join(tmp.dir, 'leadkit.db') });
});
afterEach(async () => {
  await worker?.stop({ graceMs: 100 });
  worker = undefined;
  store.close();
  tmp.cleanup();
});

function lead(): Lead {
  const r = parseLead(fullLead());
  if (!r.ok) throw new Error('bad fixture');
  return r.lead;
}

/** Queues one lead for `destination`, runs the worker with `fetch`, and returns the settled row. */
async function deliverOnce(destination: Destination, fetch: typeof globalThis.fetch) {
  const l = lead();
  await store.saveLead({ lead: l, receivedAt: Date.now(), destinations: [destination.name] });
  worker = createWorker({ store, destinations: [{ destination }], fetch, pollMs: 20 });
  worker.start();
  return until(async () => {
    const [row] = await store.listDeliveries({ leadId: l.id });
    return row && row.status !== 'pending' ? row : undefined;
  }, 'the delivery to settle');
}

/** What a guard from another copy of the package throws: the same code on a foreign class. */
class ForeignSsrfError extends Error {
  readonly code = 'LEADKIT_SSRF_BLOCKED';
}
const foreignGuard = (async () => {
  throw new TypeError('fetch failed', {
    cause: new ForeignSsrfError('Refused to connect to 10.0.0.5: private 10.0.0.0/8.'),
  });
}) as typeof fetch;

describe('SSRF refusals fail for good', () => {
  it('a custom destination that lets the guard’s error escape', async () => {
    const custom: Destination = {
      name: 'custom',
      type: 'custom',
      async deliver(_lead, ctx) {
        await ctx.fetch('https://127.0.0.1:9/hook', { method: 'POST', signal: ctx.signal });
        return { kind: 'ok' };
      },
    };
    const row = await deliverOnce(custom, createGuardedFetch({ allowHosts: [] }));
    expect(row).toMatchObject({ status: 'failed', permanent: true, attempts: 1 });
    expect(row.lastError).toMatch(/^Refused to connect to 127\.0\.0\.1/);
  });

  it('the webhook destination, with a guard from another copy of the package', async () => {
    const hook = createWebhookDestination({
      type: 'webhook',
      name: 'hook',
      url: 'https://internal.example.com/hook',
      secret: generateSecret(),
    });
    const row = await deliverOnce(hook, foreignGuard);
    expect(row).toMatchObject({ status: 'failed', permanent: true, attempts: 1 });
    expect(row.lastError).toBe('Refused to connect to 10.0.0.5: private 10.0.0.0/8.');
  });

  it('a CRM destination (Slack) through the shared HTTP layer', async () => {
    const slack = createSlack({
      type: 'slack',
      name: 'slack',
      webhookUrl: 'https://localhost/services/T0/B0/X',
    });
    const row = await deliverOnce(slack, createGuardedFetch({ allowHosts: [] }));
    expect(row).toMatchObject({ status: 'failed', permanent: true, attempts: 1 });
    expect(row.lastError).toMatch(/^Slack: Refused to connect to localhost/);
  });

  it('other errors are not mistaken for refusals', () => {
    expect(
      findSsrfError(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') })),
    ).toBeUndefined();
    expect(findSsrfError({ code: 'LEADKIT_SSRF_BLOCKED' })).toBeUndefined();
  });
});
