import { afterEach, describe, expect, it } from 'vitest';
import { fieldValues, fillFields } from '../src/hidden-fields.js';
import { clock, DAY, idle, load, reset } from './dom.js';

const ad = 'https://www.example.test/lp?utm_source=Google&utm_medium=cpc&utm_campaign=spring&gclid=G1';
const newsletter = 'https://www.example.test/blog?utm_source=newsletter&utm_medium=email&utm_campaign=march';

afterEach(() => {
  reset();
  document.body.innerHTML = '';
});

const input = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
// Fills run in idle time after DOM changes.
const settle = idle;

describe('fieldValues', () => {
  it('takes campaign fields from the last touch and first_* from the first', () => {
    const c = clock();
    load(ad, { now: c.now, referrer: 'https://www.bing.com/' });
    c.advance(DAY);
    const values = fieldValues(load(newsletter, { now: c.now }).attribution());
    expect(values).toMatchObject({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'march',
      channel: 'Email',
      first_channel: 'Paid Search',
      first_source: 'google', // gclid wins over utm_source, as in GA4
      first_medium: 'cpc',
      first_campaign: 'spring',
      landing_page: ad,
      referrer: 'https://www.bing.com/',
      gclid: 'G1',
    });
    expect(values.visitor_id).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('hidden fields', () => {
  it('fills a plain form: hidden inputs and empty text inputs, never what the visitor typed', () => {
    document.body.innerHTML = `<form>
      <input type="hidden" name="utm_source" value="stale">
      <input type="hidden" name="gclid">
      <input type="text" name="utm_campaign">
      <input type="text" name="channel" value="typed by visitor">
      <input type="email" name="referrer">
      <input type="hidden" name="unrelated" value="keep">
    </form>`;
    const journey = load(ad);
    expect(journey.fillHiddenFields()).toBe(3);
    expect(input('utm_source').value).toBe('google');
    expect(input('gclid').value).toBe('G1');
    expect(input('utm_campaign').value).toBe('spring');
    expect(input('channel').value).toBe('typed by visitor');
    expect(input('referrer').value).toBe('');
    expect(input('unrelated').value).toBe('keep');
    expect(journey.fillHiddenFields()).toBe(0);
  });

  it('dispatches input and change so framework-managed forms see the value', () => {
    document.body.innerHTML = '<form><input type="hidden" name="utm_medium"></form>';
    const seen: string[] = [];
    document.addEventListener('input', (e) => seen.push(`input:${(e.target as HTMLInputElement).value}`));
    document.addEventListener('change', (e) => seen.push(`change:${(e.target as HTMLInputElement).value}`));
    load(ad).fillHiddenFields();
    expect(seen).toEqual(['input:cpc', 'change:cpc']);
  });

  it('goes through the value setter of the prototype, which React listens to', () => {
    document.body.innerHTML = '<input type="hidden" name="utm_source">';
    const el = input('utm_source');
    const writes: string[] = [];
    // React puts its own value property on the element to notice programmatic writes it did not make.
    const proto = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')!;
    Object.defineProperty(el, 'value', {
      configurable: true,
      get: () => proto.get!.call(el),
      set: (v: string) => {
        writes.push(v);
        proto.set!.call(el, v);
      },
    });
    load(ad).fillHiddenFields();
    expect(el.value).toBe('google');
    expect(writes).toEqual([]); // the own setter was bypassed, so React's tracker sees a change
  });

  it('follows a custom name map and can switch names off', async () => {
    document.body.innerHTML = `<form>
      <input type="hidden" name="lead_source">
      <input type="hidden" name="hs_first_campaign">
      <input type="hidden" name="referrer">
    </form>`;
    load(ad).fillHiddenFields();
    reset();
    const journey = load(ad, {
      referrer: 'https://news.ycombinator.com/',
      hiddenFields: { lead_source: 'channel', hs_first_campaign: 'first_campaign', referrer: false },
    });
    await settle(); // forms already on the page are filled in idle time
    expect(input('lead_source').value).toBe('Paid Search');
    expect(input('hs_first_campaign').value).toBe('spring');
    expect(input('referrer').value).toBe('');
    expect(journey.fillHiddenFields(document.querySelector('form')!)).toBe(0);
  });

  it('fills forms that exist at start (in idle time) and forms added later, when hiddenFields is on', async () => {
    document.body.innerHTML = '<form id="a"><input type="hidden" name="utm_campaign"></form>';
    const journey = load(ad, { hiddenFields: true });
    expect(document.querySelector<HTMLInputElement>('#a input')!.value).toBe(''); // init() leaves it to idle time
    await settle();
    expect(document.querySelector<HTMLInputElement>('#a input')!.value).toBe('spring');
    const late = document.createElement('div');
    late.innerHTML = '<form id="b"><input type="hidden" name="utm_campaign"><input name="visitor_id"></form>';
    document.body.append(late);
    await settle();
    expect(document.querySelector<HTMLInputElement>('#b input')!.value).toBe('spring');
    expect(document.querySelector<HTMLInputElement>('#b [name=visitor_id]')!.value).toBe(
      journey.attribution().visitorId,
    );
  });

  it('does not fill anything by itself unless hiddenFields is on, and stops after destroy()', async () => {
    document.body.innerHTML = '<form><input type="hidden" name="utm_campaign"></form>';
    load(ad).destroy();
    expect(input('utm_campaign').value).toBe('');
    load(ad, { hiddenFields: true }).destroy();
    document.body.insertAdjacentHTML('beforeend', '<input type="hidden" name="utm_source">');
    await settle();
    expect(input('utm_source').value).toBe('');
  });

  it('refreshes hidden values when a navigation brings a new campaign', async () => {
    document.body.innerHTML = '<form><input type="hidden" name="utm_campaign"></form>';
    load(ad, { hiddenFields: true });
    history.pushState({}, '', '/b?utm_source=x&utm_medium=social&utm_campaign=later');
    document.body.insertAdjacentHTML('beforeend', '<p>route content</p>');
    await settle();
    expect(input('utm_campaign').value).toBe('later');
  });

  it('fills forms inside same-origin iframes and skips ones it cannot reach', async () => {
    const frame = document.createElement('iframe');
    frame.srcdoc = '<form><input type="hidden" name="utm_source"></form>';
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    const journey = load(ad);
    expect(journey.fillHiddenFields()).toBe(1);
    expect(frame.contentDocument!.querySelector('input')!.value).toBe('google');

    const closed = document.createElement('iframe');
    Object.defineProperty(closed, 'contentDocument', {
      get() {
        throw new DOMException('Blocked a frame from accessing a cross-origin frame.', 'SecurityError');
      },
    });
    const box = document.createElement('div');
    box.innerHTML = '<input type="hidden" name="utm_source">';
    box.append(closed);
    expect(fillFields(box, { utm_source: 'x' }, {})).toBe(1);
  });
});
