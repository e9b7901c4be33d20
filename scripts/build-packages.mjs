#!/usr/bin/env node
/** Builds the packages when their sources are newer than their dist/ (used before the docs build). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './demo/build.mjs';

try {
  ensureBuilt(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
