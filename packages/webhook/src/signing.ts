/**
 * Standard Webhooks v1 signatures (symmetric, HMAC-SHA256): what we send and what receivers check.
 * Signed content is `${id}.${timestamp}.${body}` with the raw body bytes; the key is the base64 part of a
 * `whsec_` secret. Uses node:crypto (Node, Bun, Deno, Workers with nodejs_compat): synchronous, and in the
 * delivery bench several times cheaper per request than WebCrypto's promise-based HMAC.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';
const keys = new Map<string, Buffer>();

/** Thrown when a webhook secret is malformed or a request fails verification. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** Decodes a `whsec_<base64>` secret (or bare base64) into its key bytes. */
export function decodeSecret(secret: string): Buffer {
  const b64 = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
    throw new WebhookVerificationError(
      'Webhook secret is not valid base64 after the "whsec_" prefix. Use the secret exactly as generated.',
    );
  }
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw new WebhookVerificationError('Webhook secret is empty.');
  return bytes;
}

/** Makes a fresh secret: 32 random bytes, shown as `whsec_<base64>`. */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

function hmacKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = decodeSecret(secret);
    // Secrets come from config, so this stays small; the cap guards against misuse with per-call secrets.
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

function hmac(secret: string, id: string, timestamp: number, body: string): Buffer {
  return createHmac('sha256', hmacKey(secret)).update(`${id}.${timestamp}.${body}`).digest();
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` entry per secret, space-separated, so receivers
 * keep verifying while a secret is rotated.
 */
export function signWebhook(
  secrets: string | readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  if (id.includes('.')) throw new WebhookVerificationError(`Webhook id "${id}" must not contain a dot.`);
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  return list.map((s) => `v1,${hmac(s, id, timestamp, body).toString('base64')}`).join(' ');
}

/** Headers as the Fetch API, Node's `IncomingMessage.headers` or a plain object carry them. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : rec[key];
  return Array.isArray(v) ? v[0] : v;
}

export interface VerifyOptions {
  /** One secret, or several while rotating: any match passes. */
  secret: string | readonly string[];
  headers: HeaderSource;
  /** The raw request body, exactly as received (re-serialised JSON will not verify). */
  body: string;
  /** Allowed clock difference in seconds (default 300, like every reference library). */
  toleranceSeconds?: number;
  /** For tests and re-verifying stored requests. */
  now?: Date;
}

export interface VerifiedWebhook<T = unknown> {
  id: string;
  timestamp: number;
  /** The body parsed as JSON. */
  payload: T;
}

/**
 * Verifies a Standard Webhooks request and returns its parsed body. Throws `WebhookVerificationError`
 * saying what is wrong (missing header, stale timestamp, no matching signature). Compares in constant time.
 */
export function verifyWebhook<T = unknown>(options: VerifyOptions): VerifiedWebhook<T> {
  const { headers, body } = options;
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sig = header(headers, 'webhook-signature');
  if (!id || !ts || !sig) {
    throw new WebhookVerificationError(
      'Missing webhook-id, webhook-timestamp or webhook-signature header; is this a Standard Webhooks request?',
    );
  }
  const timestamp = Number(ts);
  if (!/^\d+$/.test(ts) || !Number.isSafeInteger(timestamp)) {
    throw new WebhookVerificationError(`webhook-timestamp "${ts}" is not whole Unix seconds.`);
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (now - timestamp > tolerance) {
    throw new WebhookVerificationError(
      `webhook-timestamp is ${now - timestamp}s old (tolerance ${tolerance}s): a replay, or the clocks differ.`,
    );
  }
  if (timestamp - now > tolerance) {
    throw new WebhookVerificationError(
      `webhook-timestamp is ${timestamp - now}s in the future (tolerance ${tolerance}s): check the clocks.`,
    );
  }
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  const expected = secrets.map((secret) => hmac(secret, id, timestamp, body));
  for (const entry of sig.split(' ')) {
    const [version, b64] = entry.split(',', 2);
    if (version !== 'v1' || !b64) continue;
    const given = Buffer.from(b64, 'base64');
    for (const mac of expected) {
      if (given.length === mac.length && timingSafeEqual(given, mac)) {
        let payload: T;
        try {
          payload = JSON.parse(body) as T;
        } catch (cause) {
          throw new WebhookVerificationError('Signature is valid but the body is not JSON.', { cause });
        }
        return { id, timestamp, payload };
      }
    }
  }
  throw new WebhookVerificationError(
    'No webhook-signature entry matches the secret(s); check the secret and that the body is the raw bytes.',
  );
}
