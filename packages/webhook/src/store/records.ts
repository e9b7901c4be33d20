/**
 * Row shapes shared by the SQLite and PostgreSQL stores, and their mapping to the Store contract's types.
 */
import type { Lead } from '@leadkit/core/lead';
import type { DeliveryRow, DeliveryStatus, FunnelRow, Qualification, Stage, StoredLead } from './types.js';

export const MAX_LIST = 1000;

export function limitOf(n: number | undefined, fallback: number): number {
  return Math.max(1, Math.min(MAX_LIST, Math.floor(n ?? fallback)));
}

/** Epoch ms of a touch's ISO timestamp, or null when it has none or it does not parse. */
export function touchTime(timestamp: string | undefined): number | null {
  const ms = timestamp === undefined ? Number.NaN : Date.parse(timestamp);
  return Number.isFinite(ms) ? ms : null;
}

export interface LeadRecord {
  lead: string;
  received_at: number;
  spam_reason: string | null;
  ip: string | null;
  qualification: string | null;
  stage: Stage;
  contacted_at: number | null;
  erased_at: number | null;
}

export interface DeliveryRecord {
  id: number;
  lead_id: string;
  destination: string;
  status: DeliveryStatus;
  attempts: number;
  tries: number;
  next_at: number | null;
  last_status: number | null;
  last_error: string | null;
  last_detail: string | null;
  /** SQLite stores 0/1, PostgreSQL a boolean. */
  permanent: number | boolean;
  delivered_at: number | null;
  updated_at: number;
  lease?: string | null;
}

export function toLead(r: LeadRecord): StoredLead {
  return {
    lead: JSON.parse(r.lead) as Lead,
    receivedAt: r.received_at,
    spamReason: r.spam_reason,
    ip: r.ip,
    qualification: r.qualification === null ? null : (JSON.parse(r.qualification) as Qualification),
    stage: r.stage,
    contactedAt: r.contacted_at,
    erasedAt: r.erased_at,
  };
}

export function toDelivery(r: DeliveryRecord): DeliveryRow {
  return {
    id: r.id,
    leadId: r.lead_id,
    destination: r.destination,
    status: r.status,
    attempts: r.attempts,
    nextAt: r.next_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    detail: r.last_detail,
    permanent: Boolean(r.permanent),
    deliveredAt: r.delivered_at,
    updatedAt: r.updated_at,
  };
}

/** The report columns of a lead (the covering index `leads_report` in SQLite). */
export interface FunnelRecord {
  id: string;
  received_at: number;
  first_channel: string | null;
  first_campaign: string | null;
  first_at: number | null;
  channel: string | null;
  last_campaign: string | null;
  last_at: number | null;
  intake_stage: Stage;
  stage: Stage;
}

export function toFunnelRow(r: FunnelRecord, outcomes: FunnelRow['outcomes']): FunnelRow {
  return {
    leadId: r.id,
    receivedAt: r.received_at,
    first: { channel: r.first_channel, campaign: r.first_campaign, at: r.first_at },
    last: { channel: r.channel, campaign: r.last_campaign, at: r.last_at },
    intakeStage: r.intake_stage,
    stage: r.stage,
    outcomes,
  };
}
