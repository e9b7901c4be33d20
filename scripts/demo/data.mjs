/**
 * The demo's own secrets, made on first start and kept in the data folder, so a restart finds the same
 * inbox link and the CRM keeps verifying. Files are readable by their owner only.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads `name` from `dir`, or writes `make()` there first. */
function kept(dir, name, make) {
  const path = join(dir, name);
  if (existsSync(path)) {
    const value = readFileSync(path, 'utf8').trim();
    if (value) return value;
  }
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * @param {string} dir the data folder (created if missing)
 * @param {() => string} makeSecret a new `whsec_` secret (from @leadkit/webhook)
 */
export function demoSecrets(dir, makeSecret) {
  mkdirSync(dir, { recursive: true });
  return {
    adminToken: kept(dir, 'admin-token', () => randomBytes(24).toString('hex')),
    crmSecret: kept(dir, 'crm-secret', makeSecret),
  };
}
