/** A plain (framework-free) page: the journey from @leadkit/core, the form from @leadkit/form. */
import type { Touch } from '@leadkit/core';
import { init } from '@leadkit/core';
import { defineConfig, mount } from '@leadkit/form';
import { ENDPOINT } from './config.js';

// As early as possible: init() reads the landing URL and referrer before anything rewrites them.
const journey = init();

const describe = (t: Touch) =>
  `${t.channel} (${t.source} / ${t.medium}${t.campaign ? `, ${t.campaign}` : ''})`;
const { firstTouch, lastTouch, pageviews } = journey.attribution();
document.getElementById('first-touch')!.textContent = describe(firstTouch);
document.getElementById('last-touch')!.textContent = describe(lastTouch);
document.getElementById('pageviews')!.textContent = String(pageviews);

// defineConfig checks the config with the full schema (it throws listing every problem).
const signup = defineConfig({
  id: 'vite-signup',
  title: 'Create your account',
  submitLabel: 'Start my trial',
  fields: [
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'company', type: 'text', label: 'Company' },
    { name: 'consent', type: 'consent', label: 'Email me about my trial', required: true },
  ],
});

// The form sends the same journey with the lead: it shares the page's init().
mount(document.getElementById('signup')!, signup, { endpoint: ENDPOINT });
