/**
 * Builds the three packages when their dist/ is missing or older than their sources, so the first
 * `pnpm start` on a fresh clone works and later ones start at once.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The files the demo (and the examples) load from each package's dist/. */
export const OUTPUTS = {
  core: ['dist/index.js', 'dist/lead.js', 'dist/leadkit-core.js'],
  form: ['dist/index.js', 'dist/leadkit.js', 'dist/leadkit.popup.js', 'dist/element-entry.js'],
  webhook: ['dist/index.js', 'dist/node.js', 'dist/cli.js'],
};

function newestIn(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, name)));
  return newest;
}

/** Names of packages whose outputs are missing or older than src/, package.json or tsup.config.ts. */
export function stalePackages(root) {
  return Object.entries(OUTPUTS)
    .filter(([name, outputs]) => {
      const dir = join(root, 'packages', name);
      const paths = outputs.map((o) => join(dir, o));
      if (!paths.every((p) => existsSync(p))) return true;
      const built = Math.min(...paths.map((p) => statSync(p).mtimeMs));
      const inputs = ['src', 'package.json', 'tsup.config.ts'].map((i) => join(dir, i)).filter(existsSync);
      return Math.max(...inputs.map(newestIn)) > built;
    })
    .map(([name]) => name);
}

const LOCK_STALE_MS = 10 * 60_000;

/**
 * Runs `fn` holding a lock shared by every process building this checkout (test files run in parallel;
 * two builds at once would delete each other's dist/). A lock left by a crashed process expires.
 */
function withBuildLock(root, fn) {
  const lock = join(
    tmpdir(),
    `leadkit-build-${createHash('sha1').update(root).digest('hex').slice(0, 10)}.lock`,
  );
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > LOCK_STALE_MS) {
        rmSync(lock, { recursive: true, force: true });
      } else Atomics.wait(nap, 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Runs `pnpm run build` (all packages, in dependency order) when any is stale. Throws when the build
 * fails, with what to run to see why.
 * @param {string} root
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string[]} the packages that were stale
 */
export function ensureBuilt(root, options = {}) {
  if (stalePackages(root).length === 0) return [];
  return withBuildLock(root, () => build(root, options));
}

function build(root, options) {
  // Another process may have built while this one waited for the lock.
  const stale = stalePackages(root);
  if (stale.length === 0) return stale;
  const log = options.log ?? ((line) => console.log(line));
  log(`Building ${stale.map((s) => `@leadkit/${s}`).join(', ')} (first run, or sources changed)...`);
  const run = spawnSync('pnpm', ['run', 'build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (run.error || run.status !== 0) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(
      `Building the packages failed (${run.error?.message ?? `exit code ${run.status}`}). ` +
        `Run \`pnpm build\` in ${root} to see the whole output.\n${output}`,
    );
  }
  return stale;
}
