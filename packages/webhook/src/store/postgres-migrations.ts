/**
 * PostgreSQL schema, one entry per version, recorded in `<schema>.migrations`. Append new versions; never
 * edit old ones: databases in the field have run them already. `s` is the quoted schema name.
 *
 * Version 1 is SQLite's versions 1 and 2 in one: the same tables and columns, with PostgreSQL types
 * (bigint epoch milliseconds, boolean, identity keys).
 */
export const PG_MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
  CREATE TABLE ${s}.leads (
    id text PRIMARY KEY,
    form_id text NOT NULL,
    received_at bigint NOT NULL,
    lead text NOT NULL,
    channel text,
    spam_reason text,
    ip text,
    email text,
    score integer,
    grade text,
    qualification text,
    intake_stage text NOT NULL DEFAULT 'lead',
    stage text NOT NULL DEFAULT 'lead',
    first_channel text,
    first_campaign text,
    first_at bigint,
    last_campaign text,
    last_at bigint,
    contacted_at bigint,
    erased_at bigint
  );
  CREATE INDEX leads_received ON ${s}.leads (received_at);
  CREATE INDEX leads_spam ON ${s}.leads (received_at) WHERE spam_reason IS NOT NULL;
  CREATE INDEX leads_email ON ${s}.leads (email) WHERE email IS NOT NULL;

  CREATE TABLE ${s}.deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id text NOT NULL REFERENCES ${s}.leads (id) ON DELETE CASCADE,
    destination text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    tries integer NOT NULL DEFAULT 0,
    next_at bigint,
    leased_until bigint,
    lease text,
    last_status integer,
    last_error text,
    last_detail text,
    permanent boolean NOT NULL DEFAULT false,
    delivered_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (lead_id, destination)
  );
  -- Partial indexes: workers scan due rows, admins list failures; delivered rows leave both.
  CREATE INDEX deliveries_due ON ${s}.deliveries (next_at) WHERE status = 'pending';
  CREATE INDEX deliveries_failed ON ${s}.deliveries (updated_at) WHERE status = 'failed';

  CREATE TABLE ${s}.attempts (
    delivery_id bigint NOT NULL REFERENCES ${s}.deliveries (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    started_at bigint NOT NULL,
    duration_ms integer NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('ok', 'retry', 'fail')),
    status integer,
    reason text,
    PRIMARY KEY (delivery_id, attempt)
  );

  CREATE TABLE ${s}.outcomes (
    lead_id text NOT NULL REFERENCES ${s}.leads (id) ON DELETE CASCADE,
    key text NOT NULL,
    -- Arrival order: a later report of the same time wins ties (lifecycle.ts).
    seq bigint GENERATED ALWAYS AS IDENTITY,
    status text NOT NULL CHECK (status IN ('contacted', 'qualified', 'disqualified', 'won', 'lost')),
    amount double precision,
    currency text,
    reason text,
    at bigint NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (lead_id, key)
  );

  CREATE TABLE ${s}.counters (name text PRIMARY KEY, value bigint NOT NULL);

  CREATE TABLE ${s}.erasures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    email_sha256 text NOT NULL,
    leads integer NOT NULL
  );
  `,
];
