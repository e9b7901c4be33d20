import { describe, expect, it } from 'vitest';
import { contactedAt, stageOf } from './lifecycle.js';

describe('stageOf', () => {
  it('keeps the intake stage without stage-setting outcomes', () => {
    expect(stageOf('mql', [])).toBe('mql');
    expect(stageOf('lead', [{ status: 'contacted', at: 5 }])).toBe('lead');
  });
  it('follows the newest stage-setting outcome by time, not by arrival order', () => {
    const outcomes = [
      { status: 'won' as const, at: 30 },
      { status: 'qualified' as const, at: 20 },
      { status: 'contacted' as const, at: 40 },
    ];
    expect(stageOf('lead', outcomes)).toBe('customer');
    expect(stageOf('lead', [...outcomes, { status: 'lost', at: 50 }])).toBe('lost');
  });
  it('lets a later report at the same time win', () => {
    expect(
      stageOf('mql', [
        { status: 'won', at: 10 },
        { status: 'disqualified', at: 10 },
      ]),
    ).toBe('disqualified');
  });
});

describe('contactedAt', () => {
  it('is the earliest outcome of any status, or null', () => {
    expect(contactedAt([])).toBeNull();
    expect(
      contactedAt([
        { status: 'won', at: 30 },
        { status: 'qualified', at: 12 },
      ]),
    ).toBe(12);
  });
});
