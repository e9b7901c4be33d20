/** Types for build.mjs, for the TypeScript tests that import it. */
export declare const OUTPUTS: Record<'core' | 'form' | 'webhook', string[]>;
export declare function stalePackages(root: string): string[];
export declare function ensureBuilt(root: string, options?: { log?: (line: string) => void }): string[];
