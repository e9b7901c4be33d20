/**
 * The widget in happy-dom: rendering, conditional fields, steps, error rendering and i18n.
 * Submission and focus behaviour in a real browser live in the *.browser.test.ts files.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FormConfig } from '../src/config-schema.js';
import { mount } from '../src/mount.js';
import { roleRevealsStack } from './helpers/fields.js';
import { type Site, startSite } from './helpers/site.js';

// Forms that pass validation really send, to a loopback endpoint.
let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(() => site.close());

const mounted: (() => void)[] = [];
afterEach(() => {
  for (const unmount of mounted.splice(0)) unmount();
  localStorage.clear();
});

/** Mounts and waits for the deferred first render; returns the shadow root. */
async function render(config: FormConfig): Promise<ShadowRoot> {
  const container = document.createElement('section');
  document.body.append(container);
  mounted.push(mount(container, { endpoint: `${site.origin}/v1/leads`, ...config }));
  const root = container.firstElementChild!.shadowRoot!;
  await expect.poll(() => root.querySelector('button[type=submit], [part=launcher]')).toBeTruthy();
  return root;
}

const type = (root: ShadowRoot, name: string, value: string) => {
  const input = root.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const click = (el: Element | null) => (el as HTMLElement).click();
const submit = (root: ShadowRoot) => click(root.querySelector('button[type=submit]'));
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('rendering', () => {
  it('renders every field inside one open shadow root with its name', async () => {
    const root = await render({
      id: 'r',
      fields: [
        { name: 'name', type: 'text', label: 'Full name', required: true },
        { name: 'email', type: 'email', label: 'Work email', required: true },
        { name: 'size', type: 'select', label: 'Company size', options: ['1-10', '11-50'] },
        { name: 'msg', type: 'textarea', label: 'Message' },
      ],
    });
    expect([...root.querySelectorAll('[name]')].map((e) => e.getAttribute('name'))).toEqual([
      'name',
      'email',
      'size',
      'msg',
      'lk_hp',
    ]);
    expect(root.querySelector('form')!.hasAttribute('novalidate')).toBe(true);
    expect(root.querySelector('button[type=submit]')!.textContent).toBe('Send');
    expect(text(root.querySelector('label[for=f-msg]'))).toBe('Message (optional)');
  });
});

describe('error rendering', () => {
  it('shows nothing until submit, then a summary and wired inline errors; values are kept', async () => {
    const root = await render({
      id: 'e',
      fields: [
        { name: 'email', type: 'email', label: 'Work email', required: true, help: 'We reply within a day' },
        { name: 'name', type: 'text', label: 'Full name', required: true },
      ],
    });
    type(root, 'email', 'not-an-email');
    root.querySelector('[name=email]')!.dispatchEvent(new Event('blur'));
    expect(root.querySelector('.msg')).toBeNull();
    expect(root.querySelector('[aria-invalid]')).toBeNull();

    submit(root);
    const summary = root.querySelector('.sum')!;
    expect(summary.querySelector('[role=alert] h3')!.textContent).toBe('There is a problem');
    const links = [...summary.querySelectorAll('a')].map((a) => [a.getAttribute('href'), a.textContent]);
    expect(links).toEqual([
      ['#f-email', 'Enter an email address in the correct format, like name@example.com'],
      ['#f-name', 'Enter full name'],
    ]);
    const email = root.querySelector('#f-email')!;
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBe('f-email-e f-email-h');
    expect(text(root.querySelector('#f-email-e'))).toBe(
      'Error: Enter an email address in the correct format, like name@example.com',
    );
    expect((email as HTMLInputElement).value).toBe('not-an-email');

    // Fixing a field clears its error; typing never adds one.
    type(root, 'email', 'ada@example.com');
    expect(root.querySelector('#f-email')!.hasAttribute('aria-invalid')).toBe(false);
    expect([...root.querySelectorAll('.sum a')].map((a) => a.getAttribute('href'))).toEqual(['#f-name']);
  });
});

describe('conditional fields', () => {
  const config: FormConfig = {
    id: 'c',
    fields: [...roleRevealsStack, { name: 'email', type: 'email', label: 'Work email' }],
  };

  it('reveals a question right under its option, with the hidden attribute while not shown', async () => {
    const root = await render(config);
    const wrapper = root.querySelector('#f-stack-c')!;
    expect(wrapper.hasAttribute('hidden')).toBe(true);
    // Directly after the option that controls it, inside the group.
    expect(wrapper.previousElementSibling!.querySelector('input')!.getAttribute('value')).toBe('Engineering');
    expect(root.querySelector('#f-role-1')!.getAttribute('aria-controls')).toBe('f-stack-c');
    click(root.querySelector('#f-role-1'));
    expect(root.querySelector('#f-stack-c')!.hasAttribute('hidden')).toBe(false);
  });

  it('skips hidden questions when validating and leaves them out of the lead', async () => {
    const root = await render(config);
    click(root.querySelector('#f-role-1'));
    type(root, 'stack', 'Rust');
    click(root.querySelector('#f-role'));
    submit(root);
    expect(root.querySelector('.sum')).toBeNull();
    const [lead] = await site.waitForLeads(1);
    expect(lead!.body.fields).toEqual({ role: 'Marketing' });
  });

  it('validates a revealed question', async () => {
    const root = await render(config);
    click(root.querySelector('#f-role-1'));
    submit(root);
    expect([...root.querySelectorAll('.sum a')].map((a) => a.textContent)).toEqual(['Enter your stack']);
  });
});

describe('steps', () => {
  const config: FormConfig = {
    id: 's',
    title: 'Book a demo',
    fields: [
      { name: 'email', type: 'email', label: 'Work email', required: true },
      { name: 'company', type: 'text', label: 'Company', required: true },
      { name: 'size', type: 'radio', label: 'Company size', options: ['1-10', '11+'] },
      { name: 'seats', type: 'number', label: 'Seats', showIf: { field: 'size', equals: '11+' } },
    ],
    steps: [
      { title: 'About you', fields: ['email'] },
      { title: 'Your company', fields: ['company', 'size', 'seats'] },
    ],
  };

  it('validates per step, counts steps in the heading, and keeps answers on Back', async () => {
    const root = await render(config);
    expect(text(root.querySelector('h3'))).toBe('Step 1 of 2: About you');
    expect(root.querySelector('button[type=submit]')!.textContent).toBe('Continue');
    expect(root.querySelector('.back')).toBeNull();

    submit(root);
    expect([...root.querySelectorAll('.sum a')].map((a) => a.textContent)).toEqual(['Enter work email']);
    type(root, 'email', 'ada@example.com');
    submit(root);
    expect(text(root.querySelector('h3'))).toBe('Step 2 of 2: Your company');
    expect(root.querySelector('.sum')).toBeNull();
    expect(root.querySelector('[name=email]')).toBeNull();
    expect(root.querySelector('button[type=submit]')!.textContent).toBe('Send');

    click(root.querySelector('.back'));
    expect(text(root.querySelector('h3'))).toBe('Step 1 of 2: About you');
    expect(root.querySelector<HTMLInputElement>('[name=email]')!.value).toBe('ada@example.com');
  });
});

describe('i18n', () => {
  const fields: FormConfig['fields'] = [
    { name: 'email', type: 'email', label: 'E-Mail', required: true },
    { name: 'notes', type: 'textarea', label: 'Notizen', max: 3 },
  ];

  it('uses the locale catalogue for every built-in string (German)', async () => {
    const root = await render({ id: 'de', locale: 'de', fields });
    expect(root.querySelector('.lk')!.getAttribute('lang')).toBe('de');
    expect(root.querySelector('button[type=submit]')!.textContent).toBe('Senden');
    type(root, 'notes', 'zu lang');
    submit(root);
    expect(root.querySelector('.sum h3')!.textContent).toBe('Es gibt ein Problem');
    expect([...root.querySelectorAll('.sum a')].map((a) => a.textContent)).toEqual([
      'Geben Sie E-Mail ein',
      'Notizen darf höchstens 3 Zeichen lang sein',
    ]);
    expect(text(root.querySelector('#f-email-e'))).toMatch(/^Fehler: /);
  });

  it('picks plural forms with Intl.PluralRules (French)', async () => {
    const root = await render({
      id: 'fr',
      locale: 'fr',
      fields: [{ name: 'code', type: 'text', label: 'Code', min: 1, max: 1 }],
    });
    type(root, 'code', 'ab');
    submit(root);
    expect(root.querySelector('.sum a')!.textContent).toBe('Code doit comporter au plus 1 caractère');
  });

  it('falls back to English (and says so in lang) for a language without a catalogue', async () => {
    const root = await render({ id: 'it', locale: 'it', fields });
    expect(root.querySelector('.lk')!.getAttribute('lang')).toBe('en');
    expect(root.querySelector('button[type=submit]')!.textContent).toBe('Send');
  });
});
