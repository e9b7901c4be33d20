import { join } from 'node:path';
import { type Lead, parseLead } from '@leadkit/core/lead';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../src/store/sqlite.js';
import type { Qualification } from '../src/store/types.js';
import { fullLead, smallestLead, tempDir } from './helpers.js';

function lead(input = smallestLead()): Lead {
  const r = parseLead(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.lead;
}

const T0 = Date.UTC(2026, 10, 2);
const QUALIFIED: Qualification = {
  score: 65,
  grade: 'B',
  fired: [
    { rule: 'business email', points: 25 },
    { rule: 'visited /pricing', points: 40 },
  ],
  stage: 'mql',
  owner: { name: 'Grace', email: 'grace@example.com', slack: 'U024BE7LH', id: '7391' },
};

let tmp: ReturnType<typeof tempDir>;
let store: SqliteStore;
beforeEach(() => {
  tmp = tempDir();
  store = createSqliteStore({ path: join(tmp.dir, 'leadkit.db') });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const column = (id: string) =>
  store.db.prepare('SELECT * FROM leads WHERE id = ?').get(id) as Record<string, unknown>;

describe('SQLite store: qualification and report columns', () => {
  it('fills email, touches, score, grade, stages and the qualification JSON at save', async () => {
    const l = lead(fullLead({ fields: { Email: 'Ada@Example.COM', name: 'Ada' } }));
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['crm'], qualification: QUALIFIED });
    expect(column(l.id)).toMatchObject({
      email: 'ada@example.com',
      score: 65,
      grade: 'B',
      intake_stage: 'mql',
      stage: 'mql',
      first_channel: l.attribution!.firstTouch.channel!,
      first_campaign: 'spring',
      first_at: Date.parse('2026-11-01T10:00:00.000Z'),
      last_campaign: null,
      last_at: Date.parse('2026-11-01T10:00:00.000Z'),
      contacted_at: null,
      erased_at: null,
    });
    const stored = await store.getLead(l.id);
    expect(stored).toMatchObject({
      qualification: QUALIFIED,
      stage: 'mql',
      contactedAt: null,
      erasedAt: null,
    });
    const [listed] = await store.listLeads();
    expect(listed!.qualification).toEqual(QUALIFIED);
  });

  it('takes the first address-shaped value when no field is named email, and leaves stage lead without a qualification', async () => {
    const l = lead(smallestLead({ fields: { name: 'Bob', contact: ' Bob@Corp.io ', other: 'x@y.org' } }));
    await store.saveLead({ lead: l, receivedAt: T0, destinations: [] });
    expect(column(l.id)).toMatchObject({
      email: 'bob@corp.io',
      score: null,
      grade: null,
      stage: 'lead',
      first_at: null,
    });
    expect(await store.getLead(l.id)).toMatchObject({ qualification: null, stage: 'lead' });
    const none = lead(smallestLead({ fields: { name: 'No mail' } }));
    await store.saveLead({ lead: none, receivedAt: T0, destinations: [] });
    expect(column(none.id).email).toBeNull();
  });

  it('hands the qualification and stage to the worker with each claimed delivery', async () => {
    const l = lead(fullLead());
    await store.saveLead({ lead: l, receivedAt: T0, destinations: ['crm'], qualification: QUALIFIED });
    const [claimed] = await store.claimDue({ now: T0, limit: 5, leaseMs: 1000, destinations: ['crm'] });
    expect(claimed).toMatchObject({
      leadId: l.id,
      qualification: QUALIFIED,
      stage: 'mql',
      contactedAt: null,
    });
  });

  it('counts per name from 1, atomically across connections to the same file', async () => {
    expect(await store.nextCounter('owners:*')).toBe(1);
    expect(await store.nextCounter('owners:*')).toBe(2);
    expect(await store.nextCounter('owners:a,b')).toBe(1);
    const other = createSqliteStore({ path: join(tmp.dir, 'leadkit.db') });
    try {
      const seen = [];
      for (let i = 0; i < 10; i++) {
        seen.push(await other.nextCounter('owners:*'), await store.nextCounter('owners:*'));
      }
      expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    } finally {
      other.close();
    }
  });
});
