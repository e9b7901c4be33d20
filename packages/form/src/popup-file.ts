/** `dist/leadkit.popup.js`: hands the popup and slide-in code to `leadkit.js` through the command queue. */
import type { Leadkit } from '@leadkit/core';
import { popup } from './popup.js';

const w = window as { leadkit?: Leadkit };
// The snippet's stub, if neither it nor leadkit.js ran yet: the call waits in the queue.
w.leadkit ??= Object.assign((...args: unknown[]) => void w.leadkit!.q!.push(args), { q: [] });
w.leadkit('popup', popup);
