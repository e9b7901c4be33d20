/**
 * `leadkit-webhook test <destination>`: one sample lead sent straight to a destination, outside the outbox,
 * with the answer read the way the worker reads it (delivered, would be retried, refused), so a CRM, Slack
 * or SMTP setup can be checked before real leads depend on it. Nothing is stored and `when` is not applied:
 * a test always sends. In the CRM it creates a real record, marked as a test, for you to delete.
 */
import { parseTouch } from '@leadkit/core';
import { type Lead, LeadSchema } from '@leadkit/core/lead';
import type { LeadkitConfig } from './config.js';
import { createDestination } from './destinations/index.js';
import type { DeliveryResult } from './destinations/types.js';
import { createGuardedFetch } from './ssrf.js';

/** A lead like the widget sends, from a Paid Search click, clearly labelled as a test. */
export function sampleTestLead(options: { email?: string | undefined; now?: Date } = {}): Lead {
  const now = options.now ?? new Date();
  const id = `lead_test_${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const landing =
    'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&utm_campaign=leadkit_test&gclid=TeSt-GcLiD';
  const first = parseTouch({
    url: 'https://www.example.com/blog/attribution',
    referrer: 'https://www.google.com/',
    timestamp: now.getTime() - 3 * 86_400_000,
  });
  const last = parseTouch({ url: landing, referrer: 'https://www.google.com/', timestamp: now });
  return LeadSchema.parse({
    v: 1,
    id,
    formId: 'leadkit-test',
    submittedAt: now.toISOString(),
    fields: {
      email: options.email ?? 'leadkit-test@example.com',
      firstName: 'Leadkit',
      lastName: 'Test',
      company: 'Leadkit test lead',
      message: 'A test lead sent by `leadkit-webhook test`; delete it when you are done.',
    },
    consent: { granted: true, text: 'I agree to be contacted about my request.', at: now.toISOString() },
    attribution: { firstTouch: first, lastTouch: last, sessionEntry: last, touches: [first, last] },
    page: { url: 'https://www.example.com/pricing', title: 'Pricing' },
  });
}

export interface TestSend {
  lead: Lead;
  result: DeliveryResult;
  ms: number;
}

/** Sends the sample lead to the destination named `name`; throws with the names there are if none is. */
export async function sendTestLead(
  config: LeadkitConfig,
  name: string,
  options: { email?: string | undefined; fetch?: typeof fetch } = {},
): Promise<TestSend> {
  const entry = config.destinations.find((d) => d.name === name);
  if (!entry) {
    const names = config.destinations.map((d) => `"${d.name}"`);
    throw new Error(
      names.length
        ? `No destination is named "${name}"; the config has ${names.join(', ')}.`
        : 'The config has no destinations; add one to "destinations" first.',
    );
  }
  const destination = createDestination(entry, { allowHosts: config.security.allowHosts });
  const lead = sampleTestLead({ email: options.email });
  const timeoutMs = entry.timeoutMs ?? config.delivery.timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const started = performance.now();
  let result: DeliveryResult;
  try {
    result = await destination.deliver(lead, {
      attempt: 1,
      fetch: options.fetch ?? createGuardedFetch({ allowHosts: config.security.allowHosts }),
      signal: controller.signal,
      now: new Date(),
      receivedAt: new Date(),
    });
  } catch (error) {
    result = {
      kind: 'retry',
      reason: `the destination threw: ${(error as Error)?.message ?? String(error)}`,
    };
  } finally {
    clearTimeout(timer);
  }
  return { lead, result, ms: Math.round(performance.now() - started) };
}

/** The outcome in a sentence for a terminal. */
export function describeTestSend(name: string, send: TestSend): string {
  const { result } = send;
  const status = result.status === undefined ? '' : ` (${result.status})`;
  const what =
    result.kind === 'ok'
      ? `delivered${status}${result.detail ? `: ${result.detail}` : ''}`
      : result.kind === 'retry'
        ? `not delivered, the worker would retry${status}: ${result.reason}`
        : `refused, the worker would not retry${status}: ${result.reason}`;
  return `Test lead ${send.lead.id} to "${name}" in ${send.ms} ms: ${what}\n`;
}
