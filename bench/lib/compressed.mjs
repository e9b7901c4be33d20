// Compressed sizes as a server would send them: brotli at quality 11 and gzip at level 9, the highest.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Bytes after brotli, quality 11. */
export function brotliBytes(bytes) {
  return brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

/** Bytes after gzip, level 9. */
export function gzipBytes(bytes) {
  return gzipSync(bytes, { level: 9 }).length;
}
