// A webhook receiver in its own process, so its CPU is not the bench's: answers 204 to every request and counts
// requests and distinct webhook-ids (exactly-once checks). Benches call `startReceiver()`; run directly, this
// file is that process.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ask } from './ipc.mjs';

const self = fileURLToPath(import.meta.url);

/** Starts the receiver process on loopback; `url` is the endpoint to deliver to. */
export async function startReceiver() {
  const child = fork(self, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await ask(child, undefined, 'port');
  return {
    url: `http://127.0.0.1:${port}/hooks/leads`,
    /** `{ requests, distinct, cpu }` since the last reset (`cpu`: the receiver's process.cpuUsage() so far). */
    count: () => ask(child, 'count', 'requests'),
    /** Zeroes the counts; answers `{ reset, cpu }`. */
    reset: () => ask(child, 'reset', 'reset'),
    stop: () => child.kill(),
  };
}

function serve() {
  const ids = new Set();
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const id = req.headers['webhook-id'];
    if (id) ids.add(id);
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  process.on('message', (m) => {
    if (m === 'count') process.send({ requests, distinct: ids.size, cpu: process.cpuUsage() });
    if (m === 'reset') {
      requests = 0;
      ids.clear();
      process.send({ reset: true, cpu: process.cpuUsage() });
    }
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

if (process.argv[1] === self) serve();
