import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SOURCE_DATA } from '../src/sources.data.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const bundle = async (contents: string) =>
  (
    await build({
      stdin: { contents, resolveDir: root, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
      logLevel: 'error',
    })
  ).outputFiles[0]!.text;

// Bits that only the classifier carries: the encoded list and GA4's rules and channel names.
const CLASSIFIER_MARKS = [SOURCE_DATA.slice(0, 40), 'retargeting', 'Organic Search', 'cross-network'];

describe('the capture entry bundle', () => {
  it('has no source list and no GA4 rules (init() has them)', async () => {
    const capture = await bundle(
      "import { captureCommands, initCapture } from './src/capture.ts'; initCapture(); captureCommands();",
    );
    const full = await bundle("import { init } from './src/index.ts'; init();");
    for (const mark of CLASSIFIER_MARKS) {
      expect(full).toContain(mark);
      expect(capture).not.toContain(mark);
    }
  });
});
