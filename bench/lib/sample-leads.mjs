// The leads the webhook benches send and store, and queuing them for the worker.

/** A visit from a newsletter link, as the form's journey records it. */
export const NEWSLETTER_TOUCH = {
  channel: 'Email',
  source: 'newsletter',
  medium: 'email',
  campaign: 'autumn-launch',
  clickIds: {},
  landingPage: 'https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=autumn-launch',
  timestamp: '2026-11-01T10:00:00.000Z',
};

/** Lead number `i` for the delivery benches: a distinct id and email, otherwise the same fields, consent and journey. */
export function deliveryLead(i) {
  const touch = {
    ...NEWSLETTER_TOUCH,
    landingPage: 'https://shop.example.com/?utm_source=newsletter&utm_medium=email',
  };
  return {
    v: 1,
    id: `lead_bench_${i.toString(36).padStart(6, '0')}`,
    formId: 'demo-request',
    fields: { email: `person${i}@example.com`, name: 'Ada Lovelace', company: 'Analytical Engines Ltd' },
    consent: { granted: true, text: 'I agree to be contacted.', at: '2026-11-02T10:00:00.000Z' },
    attribution: { firstTouch: touch, lastTouch: touch, touches: [touch] },
    page: { url: 'https://shop.example.com/pricing', title: 'Pricing' },
  };
}

/** Saves `leads` into `store` with one delivery each to the destination `crm`, 500 saves in flight at once. */
export async function queueLeads(store, leads) {
  const receivedAt = Date.now();
  for (let i = 0; i < leads.length; i += 500) {
    await Promise.all(
      leads.slice(i, i + 500).map((l) => store.saveLead({ lead: l, receivedAt, destinations: ['crm'] })),
    );
  }
}
