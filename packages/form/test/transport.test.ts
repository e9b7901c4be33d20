/** Sending against a real loopback server: success, what is retried, server issues, and the timeout. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postLead, sendWithRetry } from '../src/transport.js';
import { type Site, startSite } from './helpers/site.js';

const lead = { v: 1 as const, id: 'v1-test-0001', formId: 'demo', fields: { email: 'ada@example.com' } };
let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site.close());
const endpoint = () => `${site.origin}/v1/leads`;

describe('transport', () => {
  it('posts JSON and reports success', async () => {
    site.mode = 'ok';
    expect(await postLead(endpoint(), lead)).toEqual({ ok: true, status: 202 });
    expect(site.leads.at(-1)!.body).toEqual(lead);
    expect(site.leads.at(-1)!.headers['content-type']).toBe('application/json');
  });

  it('retries 5xx with backoff, then succeeds with the same body', async () => {
    site.mode = 'ok';
    site.failNext = 2;
    const before = site.attempts;
    expect(await sendWithRetry(endpoint(), lead, { backoffMs: 10 })).toMatchObject({ ok: true });
    expect(site.attempts - before).toBe(3);
  });

  it('does not retry a 4xx and passes on the server issues', async () => {
    site.mode = {
      status: 422,
      body: { error: 'invalid lead', issues: [{ path: 'fields.email', message: 'Use a work email' }] },
    };
    const before = site.attempts;
    expect(await sendWithRetry(endpoint(), lead, { backoffMs: 10 })).toEqual({
      ok: false,
      retry: false,
      status: 422,
      error: 'invalid lead',
      issues: [{ path: 'fields.email', message: 'Use a work email' }],
    });
    expect(site.attempts - before).toBe(1);
  });

  it('gives up on a server that does not answer in time, as retryable', async () => {
    site.mode = 'ok';
    site.delayMs = 2000;
    expect(await postLead(endpoint(), lead, 100)).toEqual({
      ok: false,
      retry: true,
      error: 'no answer within 100 ms',
    });
    site.delayMs = 0;
  });

  it('treats an unreachable endpoint as retryable', async () => {
    site.mode = 'down';
    expect(await sendWithRetry(endpoint(), lead, { attempts: 2, backoffMs: 10 })).toEqual({
      ok: false,
      retry: true,
      error: 'network error',
    });
    site.mode = 'ok';
  });
});
