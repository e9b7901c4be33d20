/** Turns a page's source into a whole HTML document with the site's navigation. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { PAGES, type Page } from './pages.js';
import { REFERENCE_BLOCKS } from './reference.js';

const CONTENT = fileURLToPath(new URL('../content/', import.meta.url));

function nav(current: Page): string {
  const groups = [...new Set(PAGES.map((p) => p.group))];
  return groups
    .map((group) => {
      const links = PAGES.filter((p) => p.group === group)
        .map((p) => {
          const here = p === current ? ' aria-current="page"' : '';
          return `<li><a href="${p.file}"${here}>${escapeHtml(p.nav)}</a></li>`;
        })
        .join('');
      return `<h2>${escapeHtml(group)}</h2><ul>${links}</ul>`;
    })
    .join('');
}

/**
 * Markdown with generated blocks: a line `{{reference:form}}` becomes that reference table.
 * Returns the body HTML and the page's title.
 */
function markdownBody(source: string): { body: string; title: string | undefined } {
  const parts = source.split(/^\{\{reference:([a-z]+)\}\}$/m);
  let title: string | undefined;
  const body = parts
    .map((part, i) => {
      if (i % 2 === 0) {
        const rendered = renderMarkdown(part);
        title ??= rendered.title;
        return rendered.html;
      }
      const block = REFERENCE_BLOCKS[part];
      if (!block) throw new Error(`docs: unknown generated block {{reference:${part}}}`);
      return block();
    })
    .join('\n');
  return { body, title };
}

export function renderPage(page: Page): string {
  const source = readFileSync(CONTENT + page.source, 'utf8');
  const { body, title } = page.source.endsWith('.md')
    ? markdownBody(source)
    : { body: source, title: /<h1[^>]*>([^<]*)<\/h1>/.exec(source)?.[1] };
  const script = page.script ? `<script type="module" src="${page.script}"></script>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title ?? page.nav)} · Leadkit docs</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="./src/site.css">
${script}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="index.html">Leadkit</a><span class="muted">documentation</span></header>
<div class="layout">
<nav class="side" aria-label="Documentation">${nav(page)}</nav>
<main id="main" class="${page.script ? 'tool' : 'prose'}">
${body}
</main>
</div>
</body>
</html>
`;
}
