/**
 * The attribution inspector: a landing URL and referrer in, the touch, its channel and the deciding rule
 * out, from explainTouch (the classifier the browser and the server both run).
 */
import { type ChannelRule, explainTouch } from '@leadkit/core';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const url = $<HTMLInputElement>('url');
const referrer = $<HTMLInputElement>('referrer');
const rules = $<HTMLTextAreaElement>('rules');
const rulesStatus = $<HTMLDivElement>('rules-status');

/** The custom rules typed in, or undefined (and a message) when they are not a JSON list. */
function customRules(): ChannelRule[] | undefined {
  const text = rules.value.trim();
  rulesStatus.hidden = true;
  if (!text) return [];
  try {
    const parsed = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed as ChannelRule[];
    rulesStatus.textContent =
      'Rules must be a JSON list, e.g. [{ "channel": "AI Assistants", "source": "chatgpt.com" }].';
  } catch (err) {
    rulesStatus.textContent = `Rules are not valid JSON: ${(err as Error).message}`;
  }
  rulesStatus.className = 'status bad';
  rulesStatus.hidden = false;
  return undefined;
}

function show() {
  const custom = customRules();
  const e = explainTouch({ url: url.value.trim(), referrer: referrer.value.trim(), rules: custom ?? [] });
  const t = e.touch;
  $('channel').textContent = t.channel ?? 'Unassigned';
  $('rule').textContent =
    e.rule === 'custom' ? `Your rule ${e.customRule! + 1}` : `GA4 rule ${e.rule} of 19: ${e.ruleName}`;
  $('reason').textContent = e.reason;
  $('source-medium').textContent = `${t.source} / ${t.medium}`;
  $('origin').textContent = e.originReason;
  $('category').textContent = e.sourceCategory ?? 'not in Google’s list';
  $('campaign').textContent = t.campaign ?? '—';
  const ids = Object.entries(t.clickIds ?? {});
  $('click-ids').textContent = ids.length ? ids.map(([k, v]) => `${k}=${v}`).join(', ') : '—';
  $('touch').textContent = JSON.stringify(t, null, 2);
  // The address bar keeps the inputs, so a result can be shared as a link.
  const params = new URLSearchParams({ url: url.value, referrer: referrer.value });
  history.replaceState(null, '', `?${params}`);
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#presets button')) {
  button.addEventListener('click', () => {
    url.value = button.dataset.url ?? '';
    referrer.value = button.dataset.referrer ?? '';
    show();
  });
}
for (const input of [url, referrer, rules]) input.addEventListener('input', show);

const start = new URLSearchParams(location.search);
url.value =
  start.get('url') ??
  'https://www.example.com/pricing?utm_source=facebook&utm_medium=cpc&utm_campaign=spring';
referrer.value = start.get('referrer') ?? 'https://l.facebook.com/';
rules.value = '[\n  { "channel": "AI Assistants", "source": ["chatgpt.com", "perplexity.ai"] }\n]';
show();
