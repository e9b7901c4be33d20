import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { snippet } from '../src/snippet.js';

it('shows the snippet the package actually generates', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const src = 'https://cdn.jsdelivr.net/npm/@leadkit/core@0/dist/leadkit-core.js';
  expect(readme).toContain(snippet(src, { 'hidden-fields': 'on' }));
});
