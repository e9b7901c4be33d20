import { SOURCE_DATA } from './sources.data.js';

export { SOURCE_LIST_VERSION } from './sources.data.js';

export type SourceCategory = 'search' | 'social' | 'video' | 'shopping';

// Same order as scripts/generate-sources.mjs writes the sections.
const CATEGORIES: readonly SourceCategory[] = ['search', 'social', 'video', 'shopping'];

let table: Map<string, SourceCategory> | undefined;

/** Decodes SOURCE_DATA (format described in scripts/generate-sources.mjs) into name → category. */
export function decodeSources(): Map<string, SourceCategory> {
  const names = new Map<string, SourceCategory>();
  let previous = '';
  SOURCE_DATA.split('|').forEach((section, i) => {
    for (const [, shared, rest] of section.matchAll(/([A-Z])([^A-Z]*)/g)) {
      const item = previous.slice(0, shared!.charCodeAt(0) - 65) + rest;
      previous = item;
      const group = /^\((.+)\)(.+)/.exec(item);
      for (const name of group ? group[1]!.split(' ').map((head) => head + group[2]) : [item]) {
        const stem = name.slice(0, -1);
        if (name.endsWith('*')) names.set(stem, CATEGORIES[i]!);
        names.set(name.endsWith('*') || name.endsWith('~') ? `${stem}.com` : name, CATEGORIES[i]!);
      }
    }
  });
  return names;
}

/** Google's category for a source name (exact, case-insensitive), or undefined when it is not listed. */
export function sourceCategory(source: string): SourceCategory | undefined {
  // Decoded on first use, so pages that never classify never pay the time.
  table ??= decodeSources();
  return table.get(String(source).toLowerCase());
}
