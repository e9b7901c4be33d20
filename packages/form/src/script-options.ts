/**
 * Options for the script-tag build, read from its own `<script data-*>` attributes through a typed table
 * (camelCase option → `data-kebab-case` attribute, read through `dataset`). Nothing is ever evaluated.
 *
 *   <script async src="leadkit.js" data-endpoint="https://hooks.example.com/v1/leads"
 *           data-locale="de" data-nonce="r4nd0m" data-hidden="plan=pro,source=pricing"></script>
 */
import type { ConsentMode } from '@leadkit/core';

export interface ScriptOptions {
  /** Default endpoint for every form on the page. */
  endpoint?: string;
  /** CSP nonce for the `<style>` fallback. */
  nonce?: string;
  /** Values sent with every lead: `k=v,k2=v2` (`\,` for a literal comma). */
  hidden?: Record<string, string>;
  /** Starting consent for the attribution journey: granted, denied or pending. */
  consent?: ConsentMode;
}

type Kind = 'string' | 'record';

const TABLE: { [K in keyof ScriptOptions]-?: Kind } = {
  endpoint: 'string',
  nonce: 'string',
  hidden: 'record',
  consent: 'string',
};

/** `plan=pro,source=a\,b` → `{ plan: 'pro', source: 'a,b' }`. */
export function parseRecord(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(/(?<!\\),/)) {
    const eq = pair.indexOf('=');
    if (eq > 0)
      out[pair.slice(0, eq).trim()] = pair
        .slice(eq + 1)
        .trim()
        .replace(/\\,/g, ',');
  }
  return out;
}

export function readScriptOptions(script: HTMLOrSVGScriptElement | null): ScriptOptions {
  const options: Record<string, unknown> = {};
  if (!script) return options;
  for (const [name, kind] of Object.entries(TABLE)) {
    // `dataset` maps `data-kebab-case` to the camelCase option name.
    const raw = script.dataset[name];
    if (raw != null) options[name] = kind === 'record' ? parseRecord(raw) : raw;
  }
  // A page nonce on the script itself is the natural default for styles too.
  options.nonce ??= (script as HTMLScriptElement).nonce || undefined;
  return options as ScriptOptions;
}
