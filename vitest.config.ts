import { defineConfig } from 'vitest/config';

// One runner for the whole tree. Files name the environment they need:
//   *.test.ts(x)          node
//   *.dom.test.ts(x)      happy-dom (DOM units)
//   *.browser.test.ts     node, driving a real Chromium through playwright-core
const sourceFirst = { conditions: ['@leadkit/source'] };
const ignore = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  resolve: sourceFirst,
  test: {
    projects: [
      {
        resolve: sourceFirst,
        test: {
          name: 'node',
          environment: 'node',
          include: ['{packages,examples,docs,bench,scripts}/**/*.test.{ts,tsx}'],
          exclude: [...ignore, '**/*.dom.test.*', '**/*.browser.test.*'],
          testTimeout: 30_000,
        },
      },
      {
        resolve: sourceFirst,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['{packages,examples,docs}/**/*.dom.test.{ts,tsx}'],
          exclude: ignore,
        },
      },
      {
        resolve: sourceFirst,
        test: {
          name: 'chromium',
          environment: 'node',
          include: ['{packages,examples,docs,scripts,test}/**/*.browser.test.{ts,tsx}'],
          exclude: ignore,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One Chromium at a time on a 2-core machine keeps timings honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
