/**
 * The form playground: JSON on the left, checked with validateConfig; the live widget on the right,
 * mounted with mount(); the embed snippet for the current config. Without an endpoint, submissions are
 * answered on the page and shown, so nothing leaves the browser.
 */
import { parseLead } from '@leadkit/core/lead';
import { type FormConfig, type MountHandle, mount, validateConfig } from '@leadkit/form';
import { EXAMPLES } from './playground-examples.js';

/** Leads to this address never leave the page: the playground answers them itself. */
const PREVIEW_ENDPOINT = 'https://preview.leadkit.invalid/v1/leads';
const CDN = 'https://cdn.jsdelivr.net/npm/@leadkit/form@0/dist/leadkit.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const editor = $<HTMLTextAreaElement>('config');
const validation = $<HTMLDivElement>('validation');
const endpointInput = $<HTMLInputElement>('endpoint');
const preview = $<HTMLDivElement>('preview');
const snippet = $<HTMLElement>('snippet');
const payload = $<HTMLElement>('payload');
const copyStatus = $<HTMLSpanElement>('copy-status');
const example = $<HTMLSelectElement>('example');

let unmount: MountHandle | undefined;
let current: FormConfig | undefined;

// Answer preview submissions here and show what would have been sent.
const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url !== PREVIEW_ENDPOINT) return realFetch(input, init);
  const body = JSON.parse(String(init?.body ?? '{}'));
  const checked = parseLead(body);
  payload.textContent = JSON.stringify(body, null, 2);
  $('payload-note').textContent = checked.ok
    ? 'Preview: this lead was not sent anywhere. It passes the lead schema the adapter checks.'
    : `Preview: this lead would be refused: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  return new Response(JSON.stringify({ id: body.id }), {
    status: 202,
    headers: { 'content-type': 'application/json' },
  });
};

function endpoint(): string {
  return endpointInput.value.trim() || PREVIEW_ENDPOINT;
}

function embedSnippet(config: FormConfig): string {
  // `</` inside the JSON would end the script element early.
  const json = JSON.stringify(config, null, 2).replace(/<\//g, '<\\/');
  const target = (endpointInput.value.trim() || 'https://hooks.example.com/v1/leads').replace(/"/g, '&quot;');
  return `<script async src="${CDN}" data-endpoint="${target}"></script>

<leadkit-form>
  <script type="application/json">
${json.replace(/^/gm, '    ')}
  </script>
</leadkit-form>`;
}

function showIssues(lines: string[]) {
  validation.className = 'status bad';
  validation.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = lines.length === 1 ? '1 problem:' : `${lines.length} problems:`;
  const list = document.createElement('ul');
  for (const line of lines) {
    const item = document.createElement('li');
    item.textContent = line;
    list.append(item);
  }
  validation.append(title, list);
}

function render() {
  let json: unknown;
  try {
    json = JSON.parse(editor.value);
  } catch (err) {
    showIssues([`Not valid JSON: ${(err as Error).message}`]);
    editor.setAttribute('aria-invalid', 'true');
    return;
  }
  const result = validateConfig(json);
  if (!result.ok) {
    showIssues(result.issues.map((i) => `${i.path}: ${i.message}`));
    editor.setAttribute('aria-invalid', 'true');
    return;
  }
  editor.removeAttribute('aria-invalid');
  validation.className = 'status ok';
  validation.textContent = 'Valid config. The widget shows it.';
  current = result.config;
  unmount?.();
  unmount = mount(preview, current, { endpoint: endpoint() });
  snippet.textContent = embedSnippet(current);
}

let timer: ReturnType<typeof setTimeout> | undefined;
const later = () => {
  clearTimeout(timer);
  timer = setTimeout(render, 250);
};

function load(name: string) {
  editor.value = JSON.stringify(EXAMPLES[name], null, 2);
  render();
}

editor.addEventListener('input', later);
endpointInput.addEventListener('change', render);
example.addEventListener('change', () => load(example.value));
$('copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(snippet.textContent ?? '');
    copyStatus.textContent = 'Copied.';
  } catch {
    // Clipboard access can be refused (permissions, insecure context): select the text instead.
    getSelection()?.selectAllChildren(snippet);
    copyStatus.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
});

load('contact');
