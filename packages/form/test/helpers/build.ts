/**
 * Builds browser bundles from source for tests, with the same esbuild settings as `tsup.config.ts`'s
 * script-tag build (minified, `_` members mangled, classic JSX), so tests exercise what ships.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cache = new Map<string, Promise<string>>();

/** `entry` is relative to packages/form (e.g. `src/embed.ts`), or `{ contents }` for an inline module. */
export function bundle(
  entry: string | { contents: string },
  format: 'iife' | 'esm' = 'iife',
): Promise<string> {
  const key = JSON.stringify([entry, format]);
  if (!cache.has(key)) {
    cache.set(
      key,
      build({
        ...(typeof entry === 'string'
          ? { entryPoints: [root + entry] }
          : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
        bundle: true,
        write: false,
        format,
        minify: true,
        target: 'es2020',
        platform: 'browser',
        conditions: ['@leadkit/source'],
        mangleProps: /^_/,
        jsx: 'transform',
        jsxFactory: 'h',
        jsxFragment: 'Fragment',
        legalComments: 'none',
      }).then((r) => r.outputFiles[0]!.text),
    );
  }
  return cache.get(key)!;
}

/** The script-tag file, its popup file and its locale files, as served in tests. */
export const scriptTag = () => bundle('src/embed.ts');
export const popupFile = () => bundle('src/popup-file.ts');
export const localeFile = (language: 'de' | 'fr' | 'es') => bundle(`src/locale-files/${language}.ts`);
