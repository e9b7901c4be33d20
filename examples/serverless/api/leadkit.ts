/**
 * The same intake as a Vercel Function (Node.js runtime, Web-standard handlers). `vercel.json` sends every
 * path here. Unlike Workers, one instance may serve many requests at once and keep connections between
 * them, so the store is made once per instance. DATABASE_URL is the database's pooled URL (Neon: the
 * `-pooler` host; Supabase: port 6543), with `"prepare": false` in the config's store for such poolers.
 */
import { createHandler, type LeadkitHandler, parseConfig } from '@leadkit/webhook';
import { createPostgresStore } from '@leadkit/webhook/postgres';

let handler: Promise<LeadkitHandler> | undefined;

async function build(): Promise<LeadkitHandler> {
  const config = parseConfig(JSON.parse(process.env.LEADKIT_CONFIG ?? '{}'), { source: 'LEADKIT_CONFIG' });
  if (config.store.type !== 'postgres') {
    throw new Error(
      'LEADKIT_CONFIG: store.type must be "postgres" on Vercel (functions have no lasting disk).',
    );
  }
  const store = await createPostgresStore({
    url: config.store.url!,
    schema: config.store.schema,
    prepare: config.store.prepare,
    max: config.store.max,
    // The container workers migrate when they start.
    migrate: false,
  });
  return createHandler(config, { store });
}

/** Every method goes to the one handler (it answers 405 where a route does not take one). */
export async function handle(request: Request): Promise<Response> {
  handler ??= build().catch((error: unknown) => {
    handler = undefined; // a bad config or URL is retried on the next request, once fixed
    throw error;
  });
  const ip = request.headers.get('x-real-ip') ?? undefined;
  return (await handler)(request, { ip });
}

export { handle as DELETE, handle as GET, handle as HEAD, handle as OPTIONS, handle as POST };
