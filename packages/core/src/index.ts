export type { Attribution, Channel, ConsentMode, Touch } from './types.js';
export { CHANNELS } from './types.js';
