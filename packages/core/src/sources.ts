import { SOURCE_DATA } from './sources.data.js';

export { SOURCE_LIST_VERSION } from './sources.data.js';

export type SourceCategory = 'search' | 'social' | 'video' | 'shopping';

// Same order as the generator writes the sections.
const CATEGORIES: readonly SourceCategory[] = ['search', 'social', 'video', 'shopping'];

let table: Map<string, SourceCategory> | undefined;

/** Google's category for a source name (exact, case-insensitive), or undefined when it is not listed. */
export function sourceCategory(source: string): SourceCategory | undefined {
  if (!table) {
    // Decoded on first use, so pages that never classify never pay for it.
    table = new Map();
    SOURCE_DATA.split('|').forEach((section, i) => {
      for (const name of section.split(',')) table!.set(name, CATEGORIES[i]!);
    });
  }
  return table.get(source.toLowerCase());
}
