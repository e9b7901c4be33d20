/**
 * The `window.leadkit(...)` command queue shared by Leadkit's script-tag builds. The snippet queues
 * calls before any script loads; each script registers its commands here and the queued calls that
 * name them run. Calls for commands no script has registered yet stay queued for a later script
 * (the form widget registers `form` this way).
 */

// biome-ignore lint/suspicious/noExplicitAny: commands take whatever the page passes
export type Command = (...args: any[]) => unknown;

/** The global: callable, with the queue (`q`), registered commands (`h`) and the snippet's page capture. */
export interface Leadkit {
  (name: string, ...args: unknown[]): unknown;
  q?: ArrayLike<unknown>[];
  h?: Record<string, Command>;
  /** Landing URL and referrer the snippet saw, before any router could change them. */
  u?: string;
  r?: string;
}

declare global {
  interface Window {
    leadkit?: Leadkit;
  }
}

/**
 * Makes `window.leadkit` a dispatcher (once), registers `commands` (a name registered earlier keeps
 * its first handler, so a second copy of a script changes nothing), then runs queued calls to known
 * commands, `init` first. `leadkit(name, ...)` returns the command's result once it is registered.
 * A failing command is logged with a `[leadkit]` prefix and never stops the rest.
 */
export function installCommands(commands: Record<string, Command>): Leadkit {
  let lk = window.leadkit;
  if (!lk?.h) {
    const stub = lk;
    lk = ((name: string, ...args: unknown[]) => {
      const command = lk!.h![name];
      if (!command) return void lk!.q!.push([name, ...args]);
      try {
        return command(...args);
      } catch (error) {
        console.error(`[leadkit] command "${name}" failed:`, error);
      }
    }) as Leadkit;
    Object.assign(lk, { q: Array.from(stub?.q ?? []), h: {}, u: stub?.u, r: stub?.r });
    window.leadkit = lk;
  }
  for (const name in commands) lk.h![name] ??= commands[name]!;
  const queued = lk.q!.map((call) => Array.from(call) as [string, ...unknown[]]);
  lk.q = [];
  queued.sort((a, b) => +(b[0] === 'init') - +(a[0] === 'init'));
  for (const call of queued) lk(...call);
  return lk;
}
