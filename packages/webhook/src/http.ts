/** Small helpers for fetch-style responses: JSON bodies, errors in the documented shape, capped reads. */

export interface Issue {
  path: string;
  message: string;
}

export function json(status: number, body: unknown, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  h.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** `{ error, issues? }`: what failed and what to do, plus one entry per problem when there are several. */
export function error(
  status: number,
  message: string,
  extra: { issues?: Issue[]; headers?: HeadersInit } = {},
) {
  return json(
    status,
    extra.issues ? { error: message, issues: extra.issues } : { error: message },
    extra.headers,
  );
}

/** Reads the body as text, stopping as soon as it passes `maxBytes` (returns undefined then). */
export async function readCapped(request: Request, maxBytes: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
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
