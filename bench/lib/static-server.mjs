// Serves a bench's pages and scripts from memory on loopback, never cached, so every page view loads them anew.
import { once } from 'node:events';
import { createServer } from 'node:http';

/** `files` maps a path (`/leadkit.js`) to `[contentType, body]`; any other path is a 404. The query is ignored. */
export async function serveFiles(files) {
  const server = createServer((req, res) => {
    const file = files[req.url.split('?')[0]];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
