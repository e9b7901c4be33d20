/**
 * A throwaway PostgreSQL server for tests and benches: initdb + pg_ctl into a temp dir, listening on
 * 127.0.0.1 at a free port, run as the `postgres` user when we are root (postgres refuses root). One per
 * test file; each test gets a fresh database from `createDatabase()`.
 *
 * Without PostgreSQL binaries the PG suites are skipped with a printed reason, unless
 * LEADKIT_REQUIRE_POSTGRES=1 (CI), where a missing server is an error.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './process.js';

export interface ThrowawayPostgres {
  /** The server's `postgres` database, as the superuser. */
  url: string;
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The folder with initdb and pg_ctl, or undefined. PG_BIN overrides; else the newest Debian install. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? join(found, '..') : undefined;
}

/**
 * Why PG tests cannot run here, or undefined when they can. Throws instead when LEADKIT_REQUIRE_POSTGRES=1,
 * so CI cannot pass by skipping them.
 */
export function postgresUnavailable(): string | undefined {
  const reason = findPostgresBin()
    ? undefined
    : 'PostgreSQL binaries (initdb, pg_ctl) not found: install postgresql (Debian: apt-get install postgresql) or set PG_BIN';
  if (reason && process.env.LEADKIT_REQUIRE_POSTGRES === '1') {
    throw new Error(`LEADKIT_REQUIRE_POSTGRES=1 but ${reason}`);
  }
  if (reason) console.warn(`Skipping the PostgreSQL tests: ${reason}.`);
  return reason;
}

const isRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function run(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

let counter = 0;

/**
 * A detached shell that stops the server once this process is gone, however it ended: test runners
 * kill their workers without running exit handlers, and a failed beforeAll skips afterAll's stop().
 */
function watchdog(pgCtl: string, data: string, dir: string): ChildProcess {
  const stop = [
    ...(isRoot ? ['runuser', '-u', 'postgres', '--'] : []),
    pgCtl,
    '-D',
    data,
    '-m',
    'immediate',
    'stop',
  ];
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stop.map(quote).join(' ')} >/dev/null 2>&1; rm -rf ${quote(dir)}`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

/**
 * Starts a server. `durable: false` (tests) turns off fsync: a test never survives a power cut, and the
 * suite runs faster. Benches keep the defaults so figures mean what they would in production.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<ThrowawayPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found (see postgresUnavailable()).');
  const dir = mkdtempSync(join(tmpdir(), 'leadkit-pg-'));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  try {
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: Buffer }).stderr?.toString() ?? error}`);
  }
  const settings = [
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c max_connections=200',
    ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ];
  let port = 0;
  // A free port can be taken between the probe and the start: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      run(join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        log,
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} ${settings.join(' ')}`,
        'start',
      ]);
      break;
    } catch (error) {
      if (attempt >= 3) {
        const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pg_ctl start failed: ${(error as Error).message}\n${text}`);
      }
    }
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const guard = watchdog(join(bin, 'pg_ctl'), data, dir);
  const halt = () => {
    guard.kill();
    try {
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++counter}`;
      await admin.unsafe(`CREATE DATABASE ${name}`);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await admin.end({ timeout: 1 });
      halt();
    },
  };
}
