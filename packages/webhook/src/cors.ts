/** CORS by allow-list: browsers from listed origins may post leads; requests without Origin (servers) may too. */

export type OriginCheck =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; origin: string };

export function checkOrigin(origin: string | null, allowed: readonly string[]): OriginCheck {
  if (origin === null) return { allowed: true, headers: {} };
  if (allowed.includes('*') || allowed.includes(origin)) {
    return { allowed: true, headers: { 'access-control-allow-origin': origin, vary: 'Origin' } };
  }
  return { allowed: false, origin };
}

export function preflightHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '86400',
    vary: 'Origin',
  };
}
