/**
 * GET /v1/admin/report (JSON) and /v1/admin/report.csv: the funnel report for a period (`period` preset,
 * or `from`/`to`/`through`) and a basis (`cohort` or `activity`), behind the admin token.
 */
import type { AdminDeps } from './admin.js';
import { buildFunnel, FUNNEL_BASES, type FunnelBasis, type FunnelReport } from './funnel.js';
import { error, json, type Reply } from './http.js';
import { funnelCsv } from './report-csv.js';
import { isoDate, type Period, periodFromQuery } from './reporting.js';

export interface LoadedReport {
  report: FunnelReport;
  period: Period;
  basis: FunnelBasis;
}

/** Reads period and basis from the query and builds the report; throws a message for the user. */
export async function loadReport(deps: AdminDeps, params: URLSearchParams): Promise<LoadedReport> {
  const { timeZone, currency } = deps.config.reporting;
  const basisText = params.get('basis') || 'cohort';
  if (!(FUNNEL_BASES as readonly string[]).includes(basisText)) {
    throw new Error(`basis must be ${FUNNEL_BASES.join(' or ')} (got "${basisText}").`);
  }
  const basis = basisText as FunnelBasis;
  const period = periodFromQuery(params, deps.now(), timeZone);
  // A cohort is the leads received in the period; activity counts events in it, whenever the lead came.
  const rows = await deps.store.funnelRows(basis === 'cohort' ? { from: period.from, to: period.to } : {});
  const report = buildFunnel(rows, { from: period.from, to: period.to, basis, currency });
  return { report, period, basis };
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

/** A file name such as leadkit-funnel-2026-05-01-to-2026-05-31-cohort.csv (dates in the report's zone). */
export function csvFileName(loaded: LoadedReport, timeZone: string): string {
  const { from, to } = loaded.period;
  const span =
    from === undefined && to === undefined
      ? 'all-time'
      : `${from === undefined ? 'start' : isoDate(from, timeZone)}-to-${to === undefined ? 'now' : isoDate(to - 1, timeZone)}`;
  return `leadkit-funnel-${span}-${loaded.basis}.csv`;
}

export function csvReply(loaded: LoadedReport, timeZone: string): Reply {
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${csvFileName(loaded, timeZone)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: funnelCsv(loaded.report),
  };
}

/** Answers the two report routes; undefined for other paths. The caller has checked the admin token. */
export async function handleReport(method: string, url: URL, deps: AdminDeps): Promise<Reply | undefined> {
  const path = url.pathname;
  if (path !== '/v1/admin/report' && path !== '/v1/admin/report.csv') return undefined;
  if (method !== 'GET') return error(405, `Use GET ${path}.`);
  let loaded: LoadedReport;
  try {
    loaded = await loadReport(deps, url.searchParams);
  } catch (e) {
    return error(400, (e as Error).message);
  }
  const { timeZone, currency } = deps.config.reporting;
  if (path.endsWith('.csv')) return csvReply(loaded, timeZone);
  return json(200, {
    ...loaded.report,
    from: iso(loaded.report.from),
    to: iso(loaded.report.to),
    period: loaded.period.preset,
    timeZone,
    currency,
  });
}
