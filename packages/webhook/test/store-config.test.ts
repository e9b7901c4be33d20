import { describe, expect, it } from 'vitest';
import { type ConfigError, parseConfig } from '../src/config.js';

describe('store config', () => {
  it('defaults to SQLite, and the { path } form still means SQLite', () => {
    expect(parseConfig({}).store).toMatchObject({ type: 'sqlite', path: './leadkit.db' });
    expect(parseConfig({ store: { path: 'data/leads.db' } }).store).toMatchObject({
      type: 'sqlite',
      path: 'data/leads.db',
    });
  });

  it('reads a postgres store with its URL from the environment', () => {
    const config = parseConfig(
      { store: { type: 'postgres', url: { env: 'DATABASE_URL' }, max: 4, prepare: false } },
      { env: { DATABASE_URL: 'postgres://leadkit:pw@db.internal:5432/leads' } },
    );
    expect(config.store).toMatchObject({
      type: 'postgres',
      url: 'postgres://leadkit:pw@db.internal:5432/leads',
      max: 4,
      schema: 'leadkit',
      prepare: false,
    });
  });

  it('names the key in every mistake', () => {
    const issues = (input: unknown, env: Record<string, string> = {}) => {
      try {
        parseConfig(input, { env });
      } catch (e) {
        return (e as ConfigError).issues;
      }
      throw new Error('expected a ConfigError');
    };
    expect(issues({ store: { type: 'postgres' } })).toEqual([
      { path: 'store.url', message: expect.stringMatching(/required for a postgres store/) },
    ]);
    expect(issues({ store: { type: 'postgres', url: { env: 'DATABASE_URL' } } })).toEqual([
      { path: 'store.url', message: expect.stringMatching(/DATABASE_URL is not set/) },
    ]);
    expect(issues({ store: { type: 'postgres', url: 'mysql://x' } })).toEqual([
      { path: 'store.url', message: expect.stringMatching(/postgres:\/\//) },
    ]);
    expect(issues({ store: { url: 'postgres://h/db' } })).toEqual([
      { path: 'store.type', message: expect.stringMatching(/must be "postgres"/) },
    ]);
    expect(issues({ store: { type: 'mysql' } })[0]!.path).toBe('store.type');
    expect(issues({ store: { type: 'postgres', url: 'postgres://h/db', schema: 'Bad-Name' } })[0]!.path).toBe(
      'store.schema',
    );
  });
});
