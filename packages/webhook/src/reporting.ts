/**
 * Config `reporting` and the report's periods: presets (this month, last month, last 30/90 days, all time)
 * and custom dates, with month and day boundaries at midnight in `reporting.timeZone` (Intl, no library).
 */
import { z } from 'zod';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const ReportingSchema = z.strictObject({
  /** Revenue in this currency is the headline; amounts in others are shown apart, never added to it. */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as "USD" or "EUR"')
    .transform((c) => c.toUpperCase())
    .default('USD'),
  /** Months and days of the report's periods start at midnight here. */
  timeZone: z
    .string()
    .refine(isTimeZone, {
      message: 'is not a time zone this runtime knows; use an IANA name such as "Europe/Berlin" or "UTC"',
    })
    .default('UTC'),
});
export type ReportingConfig = z.output<typeof ReportingSchema>;

export const PERIOD_PRESETS = [
  'this-month',
  'last-month',
  'last-30-days',
  'last-90-days',
  'all-time',
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const PRESET_LABELS: Record<PeriodPreset | 'custom', string> = {
  'this-month': 'This month',
  'last-month': 'Last month',
  'last-30-days': 'Last 30 days',
  'last-90-days': 'Last 90 days',
  'all-time': 'All time',
  custom: 'Custom',
};

export interface Period {
  /** Inclusive start, or undefined for all time. */
  from: number | undefined;
  /** Exclusive end, or undefined for all time. */
  to: number | undefined;
  preset: PeriodPreset | 'custom';
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at instant `t`, as if it were UTC (epoch ms). */
function wallClock(t: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(t)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The local date in `timeZone` at instant `t`. */
export function localDate(t: number, timeZone: string): LocalDate {
  const d = new Date(wallClock(t, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant of midnight at the start of a local date in `timeZone` (month/day may overflow). */
export function startOfDay(date: LocalDate, timeZone: string): number {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day);
  // Offset at the guess, then again at the result: right across a DST change as well.
  let t = asUtc - (wallClock(asUtc, timeZone) - asUtc);
  t = asUtc - (wallClock(t, timeZone) - t);
  return t;
}

/** `YYYY-MM-DD` of an instant in `timeZone`. */
export function isoDate(t: number, timeZone: string): string {
  const d = localDate(t, timeZone);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** A preset's period at `now`. */
export function presetPeriod(preset: PeriodPreset, now: number, timeZone: string): Period {
  const today = localDate(now, timeZone);
  switch (preset) {
    case 'this-month':
      return {
        preset,
        from: startOfDay({ ...today, day: 1 }, timeZone),
        to: startOfDay({ ...today, month: today.month + 1, day: 1 }, timeZone),
      };
    case 'last-month':
      return {
        preset,
        from: startOfDay({ ...today, month: today.month - 1, day: 1 }, timeZone),
        to: startOfDay({ ...today, day: 1 }, timeZone),
      };
    case 'last-30-days':
    case 'last-90-days': {
      // Today and the days before it, whole days.
      const days = preset === 'last-30-days' ? 30 : 90;
      return {
        preset,
        from: startOfDay({ ...today, day: today.day - days + 1 }, timeZone),
        to: startOfDay({ ...today, day: today.day + 1 }, timeZone),
      };
    }
    case 'all-time':
      return { preset, from: undefined, to: undefined };
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ISO date (midnight in `timeZone`), an ISO time, or epoch ms; undefined when it is none of them. */
export function parseInstant(value: string, timeZone: string): number | undefined {
  const v = value.trim();
  const d = v.match(DATE_ONLY);
  if (d) return startOfDay({ year: Number(d[1]), month: Number(d[2]), day: Number(d[3]) }, timeZone);
  if (/^\d{10,}$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * The period asked for by query parameters: `period` (a preset), or `from` and/or `to` (`to` exclusive;
 * `through`, a date, includes that whole day). Nothing given: this month. Throws a message for the user.
 */
export function periodFromQuery(params: URLSearchParams, now: number, timeZone: string): Period {
  const preset = params.get('period');
  const fromText = params.get('from') || null;
  const toText = params.get('to') || null;
  const throughText = params.get('through') || null;
  if (preset && preset !== 'custom') {
    if (!(PERIOD_PRESETS as readonly string[]).includes(preset)) {
      throw new Error(`period must be one of ${PERIOD_PRESETS.join(', ')} or custom (got "${preset}").`);
    }
    return presetPeriod(preset as PeriodPreset, now, timeZone);
  }
  if (fromText === null && toText === null && throughText === null) {
    return presetPeriod(preset === 'custom' ? 'all-time' : 'this-month', now, timeZone);
  }
  const read = (name: string, text: string | null) => {
    if (text === null) return undefined;
    const t = parseInstant(text, timeZone);
    if (t === undefined) {
      throw new Error(`${name} must be a date (2026-05-01), an ISO 8601 time or epoch ms (got "${text}").`);
    }
    return t;
  };
  const from = read('from', fromText);
  let to = read('to', toText);
  if (to === undefined && throughText !== null) {
    const m = throughText.trim().match(DATE_ONLY);
    if (!m) throw new Error(`through must be a date such as 2026-05-31 (got "${throughText}").`);
    to = startOfDay({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) + 1 }, timeZone);
  }
  if (from !== undefined && to !== undefined && to <= from) {
    throw new Error('The period ends before it starts: "to" must be after "from".');
  }
  return { preset: 'custom', from, to };
}
