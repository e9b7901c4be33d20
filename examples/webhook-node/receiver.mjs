/**
 * A receiver for Leadkit's signed webhooks, as your app would run one: it verifies the Standard Webhooks
 * signature on the raw body, ignores repeats of a webhook-id (delivery is at least once) and acknowledges
 * with 204. Answering 4xx/5xx makes Leadkit retry.
 *
 *   MY_APP_WEBHOOK_SECRET=whsec_... PORT=4000 node receiver.mjs
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { verifyWebhook } from '@leadkit/webhook';

/**
 * @param {{ secret: string, onLead: (lead: any) => void }} options
 * @returns {import('node:http').Server}
 */
export function createReceiver({ secret, onLead }) {
  const seen = new Set(); // use your database in production
  return createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const { id, payload } = verifyWebhook({
          secret,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        if (!seen.has(id)) {
          seen.add(id);
          onLead(payload.data);
        }
        res.writeHead(204).end();
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(err.message);
      }
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const secret = process.env.MY_APP_WEBHOOK_SECRET;
  if (!secret) {
    console.error('Set MY_APP_WEBHOOK_SECRET to the secret of the "my-app" destination.');
    process.exit(2);
  }
  const port = Number(process.env.PORT ?? 4000);
  createReceiver({
    secret,
    onLead: (lead) =>
      console.log(
        `lead ${lead.id}: ${lead.fields.email ?? '(no email)'} via ${lead.attribution?.lastTouch.channel ?? 'unknown'}`,
      ),
  }).listen(port, '127.0.0.1', () => console.log(`Receiving on http://127.0.0.1:${port}/`));
}
