import { describe, expect, it } from 'vitest';
import { parseLead } from './lead.js';

describe('Lead contract', () => {
  it('accepts the smallest lead and fills the version', () => {
    const r = parseLead({ id: 'lead_abc12345', formId: 'demo', fields: { email: 'a@b.co' } });
    expect(r).toEqual({
      ok: true,
      lead: { v: 1, id: 'lead_abc12345', formId: 'demo', fields: { email: 'a@b.co' } },
    });
  });

  it('names every problem by path', () => {
    const r = parseLead({ id: 'has.dot.in.it', fields: { email: { nested: true } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(['fields.email', 'formId', 'id']);
  });
});
