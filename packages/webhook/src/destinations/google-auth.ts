/**
 * Google service-account auth without Google's SDK: sign an RS256 JWT with the key from the service
 * account's JSON key file and exchange it for an access token (the OAuth 2.0 JWT bearer grant), then
 * reuse that token until shortly before it expires.
 *
 * - Claims: iss = client_email, scope, aud = token_uri, iat = now, exp = iat + 3600 (Google accepts at
 *   most one hour); header { alg: RS256, typ: JWT, kid: private_key_id } (developers.google.com/identity/
 *   protocols/oauth2/service-account, "Preparing to make an authorized API call"; googleapis/node-gtoken
 *   signs the same claims).
 * - Exchange: `POST token_uri` form-encoded `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` and
 *   `assertion=<jwt>`; the answer is `{ access_token, expires_in, token_type: "Bearer" }`, an error is
 *   `{ error, error_description }` (e.g. `invalid_grant: Invalid JWT Signature.`).
 * Signing uses WebCrypto (`crypto.subtle`, RSASSA-PKCS1-v1_5 with SHA-256), so this runs on Node, Bun,
 * Deno and Workers alike; the key file's private_key is PKCS#8 PEM.
 */
import { z } from 'zod';
import { classify, DeliveryStop, excerpt, type HttpReply, isSuccess, send } from './http.js';
import type { DeliveryContext } from './types.js';

const VENDOR = 'Google OAuth';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google caps a JWT's lifetime at one hour. */
const JWT_LIFETIME_S = 3600;
/** A cached token is replaced this long before it expires (google-auth-library refreshes 5 min early). */
const REFRESH_MARGIN_MS = 5 * 60_000;

const PEM_HEADER = '-----BEGIN PRIVATE KEY-----';

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The service account's JSON key (IAM → Service accounts → Keys → Add key → JSON), as an object or as
 * its text (so `{ "env": "GOOGLE_SERVICE_ACCOUNT_KEY" }` can hold the whole file). Other keys of the
 * file (type, project_id, client_id, ...) are accepted and ignored.
 */
export const ServiceAccountKeySchema = z.preprocess(
  parseJsonText,
  z.object(
    {
      client_email: z.email('must be the service account’s email (client_email in the JSON key)'),
      private_key: z
        .string()
        // Keys pasted into env files often arrive with their newlines still escaped.
        .transform((pem) => pem.replace(/\\n/g, '\n'))
        .refine(
          (pem) => pem.includes(PEM_HEADER),
          `must be the PEM private key from the JSON key, starting with ${PEM_HEADER}`,
        ),
      private_key_id: z.string().optional(),
      token_uri: z.url({ protocol: /^https?$/ }).default('https://oauth2.googleapis.com/token'),
    },
    {
      error:
        'must be the service account’s JSON key (the file Google downloads), as an object or as its text, e.g. { "env": "GOOGLE_SERVICE_ACCOUNT_KEY" }',
    },
  ),
);
export type ServiceAccountKey = z.output<typeof ServiceAccountKeySchema>;

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const base64UrlJson = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const binary = atob(body);
  const der = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
  return der;
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      'pkcs8',
      pemToDer(pem),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DeliveryStop({
      kind: 'fail',
      reason: `credentials.private_key is not a usable RSA private key (${why}); paste the private_key of the service account's JSON key unchanged, then replay`,
    });
  }
}

/** The signed assertion for the JWT bearer grant. */
export async function signServiceAccountJwt(
  key: ServiceAccountKey,
  signingKey: CryptoKey,
  scope: string,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = { iss: key.client_email, scope, aud: key.token_uri, iat, exp: iat + JWT_LIFETIME_S };
  const input = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
  const signature = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    signingKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64Url(new Uint8Array(signature))}`;
}

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

function tokenFailure(reply: HttpReply, ctx: DeliveryContext, key: ServiceAccountKey) {
  const body = (reply.json ?? {}) as TokenAnswer;
  const said = [body.error, body.error_description].filter(Boolean).join(': ');
  const clock = /iat|exp|timeframe/i.test(body.error_description ?? '');
  return classify(reply, ctx, VENDOR, {
    detail: said ? excerpt(said) : undefined,
    hint: clock
      ? 'Google thinks the server’s clock is wrong: sync it (NTP), then replay.'
      : `Google refused the service account ${key.client_email}: the key may have been deleted or the account disabled. Create a new JSON key (IAM → Service accounts → Keys), put it in "credentials", then replay.`,
  });
}

/** Access tokens for one service account and scope, cached until shortly before they expire. */
export class ServiceAccountTokens {
  #signingKey: Promise<CryptoKey> | undefined;
  #cached: { token: string; expiresAt: number } | undefined;
  /** Requests arriving together share one exchange. */
  #pending: Promise<string> | undefined;

  constructor(
    readonly key: ServiceAccountKey,
    readonly scope: string,
  ) {}

  /** A valid access token; a refused or failed exchange ends the delivery (DeliveryStop). */
  async get(ctx: DeliveryContext): Promise<string> {
    const cached = this.#cached;
    if (cached && ctx.now.getTime() < cached.expiresAt - REFRESH_MARGIN_MS) return cached.token;
    this.#pending ??= this.#exchange(ctx).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Drops the cached token (Google answered 401 to it: revoked or expired early). */
  forget(): void {
    this.#cached = undefined;
  }

  async #exchange(ctx: DeliveryContext): Promise<string> {
    this.#signingKey ??= importSigningKey(this.key.private_key);
    const signingKey = await this.#signingKey.catch((error) => {
      this.#signingKey = undefined;
      throw error;
    });
    const assertion = await signServiceAccountJwt(this.key, signingKey, this.scope, ctx.now);
    const reply = await send(ctx, VENDOR, {
      method: 'POST',
      url: this.key.token_uri,
      form: { grant_type: JWT_BEARER, assertion },
    });
    if (!isSuccess(reply)) throw new DeliveryStop(tokenFailure(reply, ctx, this.key));
    const answer = (reply.json ?? {}) as TokenAnswer;
    if (!answer.access_token) {
      throw new DeliveryStop({ kind: 'retry', reason: `${VENDOR} answered without an access_token` });
    }
    const lifetimeS = typeof answer.expires_in === 'number' ? answer.expires_in : JWT_LIFETIME_S;
    this.#cached = { token: answer.access_token, expiresAt: ctx.now.getTime() + lifetimeS * 1000 };
    return answer.access_token;
  }
}
