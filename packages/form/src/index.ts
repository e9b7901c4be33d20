/**
 * `@leadkit/form`: an accessible lead form that carries its visitor's attribution.
 * `mount` renders a form; `validateConfig`/`defineConfig` check configs with the full zod schema
 * (they stay out of your bundle unless you import them).
 */
export type {
  ConfigIssue,
  ConfigResult,
  DisplayConfig,
  FieldConfig,
  FieldType,
  FormConfig,
} from './config-schema.js';
export { defineConfig, FormConfigSchema, validateConfig } from './config-schema.js';
export type { LeadkitEventDetail } from './events.js';
export { CATALOGUES } from './i18n/catalogues.js';
export type { Catalogue, MessageKey } from './i18n/en.js';
export { MESSAGE_KEYS } from './i18n/en.js';
export type { MountHandle, MountOptions } from './mount.js';
export { mount } from './mount.js';
