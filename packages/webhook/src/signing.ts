/**
 * Standard Webhooks v1 signatures (symmetric, HMAC-SHA256): what we send and what receivers check.
 * Signed content is `${id}.${timestamp}.${body}` with the raw body bytes; the key is the base64 part of a
 * `whsec_` secret. Built on WebCrypto so the same code runs on Node, Workers, Deno and Bun.
 */

const PREFIX = 'whsec_';
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** Thrown when a webhook secret is malformed or a request fails verification. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** Decodes a `whsec_<base64>` secret (or bare base64) into its key bytes. */
export function decodeSecret(secret: string): Uint8Array<ArrayBuffer> {
  const b64 = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    throw new WebhookVerificationError(
      'Webhook secret is not valid base64 after the "whsec_" prefix. Use the secret exactly as generated.',
    );
  }
  if (bytes.length === 0) throw new WebhookVerificationError('Webhook secret is empty.');
  return bytes;
}

/** Makes a fresh secret: 32 random bytes, shown as `whsec_<base64>`. */
export function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return PREFIX + btoa(String.fromCharCode(...bytes));
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', decodeSecret(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    // Secrets come from config, so this stays small; the cap guards against misuse with per-call secrets.
    if (keys.size > 1000) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

function toBase64(buf: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(buf)));
}

function signedContent(id: string, timestamp: number, body: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${id}.${timestamp}.${body}`);
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` entry per secret, space-separated, so receivers
 * keep verifying while a secret is rotated.
 */
export async function signWebhook(
  secrets: string | readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<string> {
  if (id.includes('.')) throw new WebhookVerificationError(`Webhook id "${id}" must not contain a dot.`);
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const content = signedContent(id, timestamp, body);
  const entries = await Promise.all(
    list.map(async (s) => `v1,${toBase64(await crypto.subtle.sign('HMAC', await hmacKey(s), content))}`),
  );
  return entries.join(' ');
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
export async function verifyWebhook<T = unknown>(options: VerifyOptions): Promise<VerifiedWebhook<T>> {
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
  const content = signedContent(id, timestamp, body);
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  for (const entry of sig.split(' ')) {
    const [version, b64] = entry.split(',', 2);
    if (version !== 'v1' || !b64) continue;
    let given: Uint8Array<ArrayBuffer>;
    try {
      given = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    } catch {
      continue;
    }
    for (const secret of secrets) {
      if (await crypto.subtle.verify('HMAC', await hmacKey(secret), given, content)) {
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
