/** Starting points for the playground. Each is checked by validateConfig in the docs tests. */
import type { FormConfig } from '@leadkit/form';

export const EXAMPLES: Record<string, FormConfig> = {
  contact: {
    id: 'contact',
    title: 'Talk to sales',
    intro: 'We reply within one working day.',
    fields: [
      { name: 'name', type: 'text', label: 'Full name', required: true },
      { name: 'email', type: 'email', label: 'Work email', required: true },
      { name: 'company', type: 'text', label: 'Company' },
      { name: 'message', type: 'textarea', label: 'How can we help?' },
      {
        name: 'consent',
        type: 'consent',
        label: 'I agree that Example may contact me about this request',
        required: true,
        link: { href: '/privacy', text: 'Privacy policy' },
      },
    ],
    submitLabel: 'Send',
  },
  multistep: {
    id: 'demo-request',
    title: 'Book a demo',
    fields: [
      { name: 'email', type: 'email', label: 'Work email', required: true },
      { name: 'team_size', type: 'select', label: 'Team size', options: ['1-10', '11-50', '51-200', '200+'] },
      {
        name: 'interest',
        type: 'radio',
        label: 'What are you looking for?',
        options: ['Pricing', 'A product tour', 'Something else'],
        required: true,
      },
      {
        name: 'details',
        type: 'textarea',
        label: 'Tell us more',
        showIf: { field: 'interest', equals: 'Something else' },
      },
      { name: 'consent', type: 'consent', label: 'Example may contact me about my request', required: true },
    ],
    steps: [
      { title: 'About you', fields: ['email', 'team_size'] },
      { title: 'Your request', fields: ['interest', 'details', 'consent'] },
    ],
  },
  popup: {
    id: 'newsletter',
    title: 'Get the monthly digest',
    display: { mode: 'popup', launcher: 'Subscribe' },
    fields: [
      { name: 'email', type: 'email', label: 'Email', required: true },
      { name: 'consent', type: 'consent', label: 'Send me the monthly digest', required: true },
    ],
    success: { title: 'Subscribed', message: 'See you next month.' },
  },
};
