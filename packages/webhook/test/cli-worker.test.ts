/**
 * Intake and delivery in separate processes: `serve --no-worker` stores and queues, `worker` delivers
 * (here on one SQLite file; on PostgreSQL any number of each, see postgres-cluster.test.ts).
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type Receiver, smallestLead, startReceiver, tempDir, until } from './helpers.js';
import { type ServerProcess, spawnServe } from './process.js';

let cli: string;
let tmp: ReturnType<typeof tempDir>;
let receiver: Receiver;
const children: { kill: (s: NodeJS.Signals) => unknown; exitCode: number | null }[] = [];

beforeAll(async () => {
  [cli, receiver] = await Promise.all([buildCli(), startReceiver()]);
  tmp = tempDir();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await receiver.close();
  tmp.cleanup();
  rmSync(cli, { force: true });
});

describe('serve --no-worker and worker', () => {
  it('the intake process only queues; the worker process delivers, and stops on SIGTERM', async () => {
    const config = join(tmp.dir, 'leadkit.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        security: { allowHosts: ['127.0.0.1'] },
        rateLimit: false,
        delivery: { pollMs: 50 },
        destinations: [
          { type: 'webhook', name: 'crm', url: `${receiver.url}/hook`, secret: { env: 'SPLIT_SECRET' } },
        ],
      }),
    );
    const env = { SPLIT_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
    const intake: ServerProcess = await spawnServe(
      cli,
      ['--config', config, '--port', '0', '--no-worker'],
      env,
    );
    children.push(intake.child);
    expect(intake.lines.find((l) => l.message === 'listening')).toMatchObject({
      store: 'sqlite',
      worker: false,
    });

    const lead = smallestLead();
    const res = await fetch(`${intake.url}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(lead),
    });
    expect(res.status).toBe(202);
    const health = await fetch(`${intake.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(receiver.requests).toHaveLength(0); // nobody delivers yet

    const worker = spawn(process.execPath, [cli, 'worker', '--config', config], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(worker);
    const lines: Record<string, unknown>[] = [];
    createInterface({ input: worker.stdout! }).on('line', (line) => lines.push(JSON.parse(line)));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
    // Lines can still be in the pipe when 'exit' fires: wait for the end of stdout too.
    const drained = new Promise((resolve) => worker.stdout!.once('close', resolve));
    await until(() => receiver.requests.length === 1, 'the worker process delivering');
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(lead.id);
    expect(lines.find((l) => l.event === 'worker' && l.message === 'started')).toMatchObject({
      store: 'sqlite',
    });

    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    await drained;
    expect(
      lines.map((l) => l.message),
      JSON.stringify(lines),
    ).toEqual(expect.arrayContaining(['SIGTERM: stopping', 'stopped']));
  });
});
