/** `dist/leadkit.de.js`: hands the de catalogue to `leadkit.js` through the command queue (either may load first). */
import type { Leadkit } from '@leadkit/core';
import { de } from '../i18n/de.js';

const w = window as { leadkit?: Leadkit };
// The snippet's stub, if neither it nor leadkit.js ran yet: the call waits in the queue.
w.leadkit ??= Object.assign((...args: unknown[]) => void w.leadkit!.q!.push(args), { q: [] });
w.leadkit('locale', 'de', de);
