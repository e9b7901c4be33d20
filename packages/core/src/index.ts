export type { ChannelRule, ClassifyInput, Matcher } from './classify.js';
export { classify } from './classify.js';
export { CLICK_ID_PARAMS } from './click-ids.js';
export type { SourceCategory } from './sources.js';
export { SOURCE_LIST_VERSION, sourceCategory } from './sources.js';
export type { TouchInput, TouchOrigin } from './touch.js';
export { parseTouch } from './touch.js';
export type { Attribution, Channel, ConsentMode, Touch } from './types.js';
export { CHANNELS } from './types.js';
