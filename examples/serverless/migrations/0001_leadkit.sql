-- Leadkit's tables, as @leadkit/webhook's SQLite store creates them (its migration 1).
-- Apply with: wrangler d1 migrations apply leadkit
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
