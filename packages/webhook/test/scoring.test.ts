import { type Lead, parseLead } from '@leadkit/core/lead';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { assignOwner } from '../src/owners.js';
import { qualifyLead } from '../src/qualify.js';
import { gradeOf, scoreLead } from '../src/scoring.js';
import { createSqliteStore } from '../src/store/sqlite.js';
import { buildSubject } from '../src/subject.js';
import { fullLead } from './helpers.js';

function lead(fields: Record<string, string>, pages?: string[]): Lead {
  const r = parseLead(fullLead({ fields }));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  if (pages) r.lead.attribution!.pages = pages;
  return r.lead;
}

const RECEIVED = Date.parse('2026-11-02T10:00:00.000Z');
const config = parseConfig(
  {
    scoring: {
      rules: [
        { name: 'business email', when: { field: 'emailType', eq: 'business' }, points: 20 },
        { when: { field: 'emailType', eq: 'free' }, points: -10 },
        {
          name: 'mid-size company',
          when: { field: 'fields.companySize', in: ['51-200', '201-1000'] },
          points: 25,
        },
        { name: 'pricing page', when: { field: 'journey.pages', contains: '/pricing' }, points: 30 },
      ],
    },
    owners: {
      reps: [
        { name: 'Ada', email: 'ada@example.com', slack: 'U01ADA' },
        { name: 'Bob', id: '7391' },
        { name: 'Cy' },
      ],
      rules: [
        { when: { field: 'grade', eq: 'A' }, assign: 'Cy' },
        { when: { field: 'fields.region', eq: 'emea' }, assign: ['Ada', 'Bob'] },
      ],
    },
  },
  { env: {} },
);

/** A real store (in memory): its counters drive the rotation. */
function counters() {
  const store = createSqliteStore({ path: ':memory:' });
  const values = () =>
    store.db.prepare('SELECT name, value FROM counters ORDER BY name').all() as {
      name: string;
      value: number;
    }[];
  return Object.assign(store, { values });
}

describe('scoring', () => {
  it('adds the points of the rules that fire, in config order, naming unnamed ones by their condition', () => {
    const s = scoreLead(
      config.scoring!,
      buildSubject({
        lead: lead({ email: 'ada@engines.example', companySize: '51-200' }, ['/pricing']),
        receivedAt: RECEIVED,
      }),
    );
    expect(s).toEqual({
      score: 75,
      grade: 'B',
      stage: 'mql',
      fired: [
        { rule: 'business email', points: 20 },
        { rule: 'mid-size company', points: 25 },
        { rule: 'pricing page', points: 30 },
      ],
    });
    const free = scoreLead(
      config.scoring!,
      buildSubject({ lead: lead({ email: 'ada@gmail.com' }), receivedAt: RECEIVED }),
    );
    expect(free).toEqual({
      score: -10,
      grade: 'D',
      stage: 'lead',
      fired: [{ rule: 'emailType = "free"', points: -10 }],
    });
  });

  it('grades by the highest threshold reached, D below all; the MQL threshold is configurable', () => {
    const grades = { A: 80, B: 50, C: 20 };
    expect([100, 80, 79, 50, 20, 19, -5].map((s) => gradeOf(s, grades))).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'D',
      'D',
    ]);
    const strict = parseConfig(
      {
        scoring: { mqlThreshold: 80, rules: [{ when: { field: 'emailType', eq: 'business' }, points: 79 }] },
      },
      { env: {} },
    );
    const s = scoreLead(
      strict.scoring!,
      buildSubject({ lead: lead({ email: 'a@b.example' }), receivedAt: RECEIVED }),
    );
    expect(s).toMatchObject({ score: 79, grade: 'B', stage: 'lead' });
  });
});

describe('owners', () => {
  it('rotates over every rep when no rule matches, within a rule list when one does, fixed for a single name', async () => {
    const store = counters();
    const names = async (fields: Record<string, string>, grade?: string) =>
      (
        await assignOwner(
          config.owners!,
          buildSubject({ lead: lead(fields), receivedAt: RECEIVED, grade }),
          store,
        )
      ).name;
    const all = [];
    for (let i = 0; i < 6; i++) all.push(await names({ email: 'x@y.example' }));
    expect(all).toEqual(['Ada', 'Bob', 'Cy', 'Ada', 'Bob', 'Cy']);
    const emea = [];
    for (let i = 0; i < 4; i++) emea.push(await names({ email: 'x@y.example', region: 'EMEA' }));
    expect(emea).toEqual(['Ada', 'Bob', 'Ada', 'Bob']);
    expect(await names({ email: 'x@y.example', region: 'emea' }, 'A')).toBe('Cy');
    expect(store.values()).toEqual([
      { name: 'owners:*', value: 6 },
      { name: 'owners:Ada,Bob', value: 4 },
    ]);
  });

  it('carries the rep’s email, Slack id and CRM id', async () => {
    const store = counters();
    await store.nextCounter('owners:*'); // Ada's turn taken: next is Bob
    const q = await qualifyLead(config, lead({ email: 'x@gmail.com' }), RECEIVED, {
      store,
      assignOwner: true,
    });
    expect(q!.owner).toEqual({ name: 'Bob', id: '7391' });
    const q2 = await qualifyLead(config, lead({ email: 'x@gmail.com' }), RECEIVED, {
      store,
      assignOwner: true,
    });
    expect(q2!.owner).toEqual({ name: 'Cy' });
  });

  it('qualifies only when scoring or owners are configured; owners alone score 0', async () => {
    const store = counters();
    const l = lead({ email: 'x@y.example' });
    expect(
      await qualifyLead(parseConfig({}, { env: {} }), l, RECEIVED, { store, assignOwner: true }),
    ).toBeUndefined();
    const onlyOwners = parseConfig({ owners: { reps: [{ name: 'Ada' }] } }, { env: {} });
    expect(await qualifyLead(onlyOwners, l, RECEIVED, { store, assignOwner: true })).toEqual({
      score: 0,
      grade: 'D',
      fired: [],
      stage: 'lead',
      owner: { name: 'Ada' },
    });
    // Spam: scored, but no owner and no turn taken.
    const spam = await qualifyLead(config, l, RECEIVED, { store, assignOwner: false });
    expect(spam).toMatchObject({ score: 20 });
    expect(spam!.owner).toBeUndefined();
    expect(store.values()).toEqual([]);
  });
});
