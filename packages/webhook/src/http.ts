/**
 * The request/reply shapes every route works on. They are the small part of Fetch's Request/Response the
 * routes need, so the fetch handler and the node:http adapter both feed them without building the other's
 * objects (on Node, Request/Response construction alone cost more than storing the lead).
 */

export interface Issue {
  path: string;
  message: string;
}

export interface Incoming {
  method: string;
  url: URL;
  /** A header value (lower-case name), or null. */
  header(name: string): string | null;
  /** The body as text, or undefined once it passes `maxBytes` (reading stops there). */
  text(maxBytes: number): Promise<string | undefined>;
  /** The peer's address, when the runtime knows it. */
  ip?: string | undefined;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

/** `{ error, issues? }`: what failed and what to do, plus one entry per problem when there are several. */
export function error(
  status: number,
  message: string,
  extra: { issues?: Issue[]; headers?: Record<string, string> } = {},
): Reply {
  return json(
    status,
    extra.issues ? { error: message, issues: extra.issues } : { error: message },
    extra.headers,
  );
}

/** Reads a web stream as text, stopping as soon as it passes `maxBytes` (returns undefined then). */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string | undefined> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return new TextDecoder().decode(chunks[0]);
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** Adapts a Fetch Request. */
export function fromRequest(request: Request, ip: string | undefined): Incoming {
  return {
    method: request.method,
    url: new URL(request.url),
    header: (name) => request.headers.get(name),
    text: (maxBytes) => readCapped(request.body, maxBytes),
    ip,
  };
}

export function toResponse(reply: Reply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
