/** Ending what a test file started, in `afterAll`. */

/**
 * Closes each of `things` in order (a browser before the servers its pages talk to), skipping any that
 * `beforeAll` never got to start, so a failed set-up reports its own error rather than one from here.
 */
export async function closeAll(...things: ({ close(): unknown } | undefined)[]): Promise<void> {
  for (const thing of things) await thing?.close();
}
