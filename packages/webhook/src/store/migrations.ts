/**
 * SQLite schema, one entry per version (PRAGMA user_version). Append new versions; never edit old ones:
 * databases in the field have run them already.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: leads, their outbox rows (one per destination) and every delivery attempt.
  `
  CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    lead TEXT NOT NULL,
    channel TEXT,
    spam_reason TEXT,
    ip TEXT
  );
  CREATE INDEX leads_received ON leads (received_at);
  CREATE INDEX leads_spam ON leads (received_at) WHERE spam_reason IS NOT NULL;

  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    destination TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    tries INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER,
    leased_until INTEGER,
    lease TEXT,
    last_status INTEGER,
    last_error TEXT,
    last_detail TEXT,
    permanent INTEGER NOT NULL DEFAULT 0,
    delivered_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (lead_id, destination)
  );
  -- Partial indexes: the worker scans due rows, admins list failures; delivered rows leave both.
  CREATE INDEX deliveries_due ON deliveries (next_at) WHERE status = 'pending';
  CREATE INDEX deliveries_failed ON deliveries (updated_at) WHERE status = 'failed';

  CREATE TABLE attempts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'retry', 'fail')),
    status INTEGER,
    reason TEXT,
    PRIMARY KEY (delivery_id, attempt)
  );
  `,
  // 2: qualification (score, grade, stage, owner), outcomes from the CRM, round-robin counters, erasures.
  // Report columns are copied out of the lead JSON so the funnel needs no JSON parsing and survives erasure.
  `
  ALTER TABLE leads ADD COLUMN email TEXT;
  ALTER TABLE leads ADD COLUMN score INTEGER;
  ALTER TABLE leads ADD COLUMN grade TEXT;
  ALTER TABLE leads ADD COLUMN qualification TEXT;
  ALTER TABLE leads ADD COLUMN intake_stage TEXT NOT NULL DEFAULT 'lead';
  ALTER TABLE leads ADD COLUMN stage TEXT NOT NULL DEFAULT 'lead';
  ALTER TABLE leads ADD COLUMN first_channel TEXT;
  ALTER TABLE leads ADD COLUMN first_campaign TEXT;
  ALTER TABLE leads ADD COLUMN first_at INTEGER;
  ALTER TABLE leads ADD COLUMN last_campaign TEXT;
  ALTER TABLE leads ADD COLUMN last_at INTEGER;
  ALTER TABLE leads ADD COLUMN contacted_at INTEGER;
  ALTER TABLE leads ADD COLUMN erased_at INTEGER;
  UPDATE leads SET
    first_channel = json_extract(lead, '$.attribution.firstTouch.channel'),
    first_campaign = json_extract(lead, '$.attribution.firstTouch.campaign'),
    last_campaign = json_extract(lead, '$.attribution.lastTouch.campaign'),
    email = lower(json_extract(lead, '$.fields.email'));
  CREATE INDEX leads_email ON leads (email) WHERE email IS NOT NULL;

  CREATE TABLE outcomes (
    lead_id TEXT NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('contacted', 'qualified', 'disqualified', 'won', 'lost')),
    amount REAL,
    currency TEXT,
    reason TEXT,
    at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (lead_id, key)
  );

  CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);

  CREATE TABLE erasures (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    email_sha256 TEXT NOT NULL,
    leads INTEGER NOT NULL
  );
  `,
  // 3: the funnel report reads these columns of every non-spam lead in a period. Without this covering
  // index that means every table page, past each lead's JSON (~2 KB): 1.4 s for 100,000 leads.
  `
  CREATE INDEX leads_report ON leads (received_at, id, first_channel, first_campaign, first_at, channel,
    last_campaign, last_at, intake_stage, stage) WHERE spam_reason IS NULL;
  `,
];
