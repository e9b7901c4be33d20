// A throwaway folder for a bench's databases and files, removed when the bench ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder `leadkit-<name>-bench-*` in the OS temp dir; `file(name)` is a path in it, `remove()` deletes it. */
export function tempDir(name) {
  const path = mkdtempSync(join(tmpdir(), `leadkit-${name}-bench-`));
  return {
    path,
    file: (file) => join(path, file),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
