/** Field configs that tests in more than one environment (happy-dom, Chromium) build their forms from. */
import type { FieldConfig } from '../../src/config-schema.js';

/**
 * A required role question whose "Engineering" option reveals a required "Your stack" question
 * (`#f-stack-c`), the smallest form with a conditional field; `#f-role` is Marketing, `#f-role-1` Engineering.
 */
export const roleRevealsStack: FieldConfig[] = [
  {
    name: 'role',
    type: 'radio',
    label: 'Your role',
    required: true,
    options: ['Marketing', 'Engineering'],
  },
  {
    name: 'stack',
    type: 'text',
    label: 'Your stack',
    required: true,
    showIf: { field: 'role', equals: 'Engineering' },
  },
];
