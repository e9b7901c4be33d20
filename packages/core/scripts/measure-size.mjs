#!/usr/bin/env node
// Brotli size of the classifier: `import { parseTouch }` bundled and minified alone, split into code and
// source-list data. `node scripts/measure-size.mjs ["<entry source>"]`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const brotli = (s) =>
  zlib.brotliCompressSync(Buffer.from(s), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const entry = process.argv[2] ?? "export { parseTouch } from './src/index.ts';";
const result = await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  write: false,
  conditions: ['@leadkit/source'],
});
const js = result.outputFiles[0].text;
const data = /"[^"]{2000,}"/.exec(js)?.[0] ?? '';
const code = js.replace(data, '""');
console.log(`${entry}
  total ${brotli(js)} B brotli (${js.length} B minified)
  code  ${brotli(code)} B brotli (${code.length} B minified)
  data  ${brotli(data)} B brotli on its own (${data.length} B)`);
if (process.env.SHOW) console.log(code);
