import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SOURCE_DATA } from './sources.data.js';
import { decodeSources, SOURCE_LIST_VERSION, sourceCategory } from './sources.js';

// Read the CSV independently of the generator, so a generator bug cannot hide here.
const csv = readFileSync(new URL('../data/ga4-source-categories.csv', import.meta.url), 'utf8');
const rows = csv.trim().split('\n').slice(1);
const expected = new Map(
  rows.map((row) => {
    const [source, category] = row.split(',') as [string, string];
    return [source.toLowerCase(), category.replace('SOURCE_CATEGORY_', '').toLowerCase()];
  }),
);

describe('source list', () => {
  it('the CSV holds Google’s 819 names', () => {
    expect(rows).toHaveLength(819);
    expect(expected.size).toBe(819);
  });

  it('the shipped encoding decodes to exactly the CSV’s (source, category) pairs', () => {
    const decoded = decodeSources();
    expect(decoded.size).toBe(819);
    expect(new Map([...decoded].sort())).toEqual(new Map([...expected].sort()));
  });

  it('has a version stamp naming the list and its size', () => {
    expect(SOURCE_LIST_VERSION).toBe('ga4-2023-11 (819 names)');
  });

  it('is encoded, not the plain list', () => {
    expect(SOURCE_DATA.length).toBeLessThan(5000);
  });

  it.each([
    ['google', 'search'],
    ['Google', 'search'],
    ['yandex.com.tr', 'search'],
    ['uk.search.yahoo.com', 'search'],
    ['l.facebook.com', 'social'],
    ['43things.com', 'social'],
    ['pinterest.com.au', 'social'],
    ['google+', 'social'],
    ['youtube', 'video'],
    ['m.youtube.com', 'video'],
    ['google shopping', 'shopping'],
    ['IGShopping', 'shopping'],
    ['amazon.co.uk', 'shopping'],
  ])('%s is %s', (source, category) => {
    expect(sourceCategory(source)).toBe(category);
  });

  it.each(['search.yahoo.com', 'duckduckgo.com', 'x.com', 'chatgpt.com', 'discord', '', 'com', '*'])(
    '%s is not listed',
    (source) => {
      expect(sourceCategory(source)).toBeUndefined();
    },
  );
});
