/**
 * Runs `scripts/start.mjs` as a child process, the way `pnpm start` does, and reads the URLs it prints.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = fileURLToPath(new URL('../start.mjs', import.meta.url));

export interface Demo {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output: () => string;
  site: string;
  inbox: string;
  crm: string;
  endpoint: string;
  links: Record<string, string>;
  /** Sends SIGINT and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the demo and resolves once it printed its URLs; rejects with its output if it exits first. */
export function startDemo(args: string[], env: Record<string, string> = {}): Promise<Demo> {
  const child = spawn(process.execPath, [START, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let ready = false;
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (ready || !text.includes('Press Ctrl-C to stop.')) return;
      ready = true;
      const url = (label: string) => {
        const m = new RegExp(`^ {2}${label} +(\\S+)`, 'm').exec(text);
        if (!m) throw new Error(`The demo printed no "${label}" line:\n${text}`);
        return m[1]!;
      };
      resolve({
        child,
        output: () => text,
        site: url('Landing page'),
        inbox: url('Inbox'),
        crm: url('Demo CRM'),
        endpoint: url('Intake API'),
        links: Object.fromEntries(
          ['Paid search', 'Paid social', 'Email', 'Referral'].map((name) => [name, url(name)]),
        ),
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => reject(new Error(`The demo exited (code ${code}) before it was ready:\n${text}`)));
  });
}

/** Runs the demo to its end (for start-up failures) and returns its exit code and output. */
export function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [START, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}
