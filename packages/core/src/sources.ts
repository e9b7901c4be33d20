import { SOURCE_DATA } from './sources.data.js';

export { SOURCE_LIST_VERSION } from './sources.data.js';

export type SourceCategory = 'search' | 'social' | 'video' | 'shopping';

// Same order as scripts/generate-sources.mjs writes the sections.
export const CATEGORIES: readonly SourceCategory[] = ['search', 'social', 'video', 'shopping'];

let table: Map<string, SourceCategory> | undefined;

/** Decodes SOURCE_DATA (format described in scripts/generate-sources.mjs) into name → category. */
export function decodeSources(): Map<string, SourceCategory> {
  const names = new Map<string, SourceCategory>();
  const stack: [string, string][] = [];
  let parent = '';
  let previous = '';
  for (const [, shared, rest, pair, mark, inner, open] of SOURCE_DATA.matchAll(
    /([A-Z])([^A-Z()*^@$!]*)(\*?)([$@^]?)(!?)(\(?)|\)/g,
  )) {
    if (!shared) {
      [parent, previous] = stack.pop()!;
      continue;
    }
    const label = previous.slice(0, shared.charCodeAt(0) - 65) + rest;
    const name = parent ? `${label}.${parent}` : label;
    previous = label;
    if (inner || !open) {
      const category = CATEGORIES['^_@$'.indexOf(mark || '_')]!;
      names.set(name, category);
      if (pair) names.set(label, category);
    }
    if (open) {
      stack.push([parent, label]);
      parent = name;
      previous = '';
    }
  }
  return names;
}

/** Google's category for a source name (exact, case-insensitive), or undefined when it is not listed. */
export function sourceCategory(source: string): SourceCategory | undefined {
  // Decoded on first use, so pages that never classify never pay the time.
  table ??= decodeSources();
  return table.get(String(source).toLowerCase());
}
