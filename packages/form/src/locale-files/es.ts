/** `dist/leadkit.es.js`: hands the es catalogue to `leadkit.js` through the command queue (either may load first). */
import type { Leadkit } from '@leadkit/core';
import { es } from '../i18n/es.js';

const w = window as { leadkit?: Leadkit };
// The snippet's stub, if neither it nor leadkit.js ran yet: the call waits in the queue.
w.leadkit ??= Object.assign((...args: unknown[]) => void w.leadkit!.q!.push(args), { q: [] });
w.leadkit('locale', 'es', es);
