/**
 * Markdown to HTML for the guides: raw HTML in the source is shown as text (never passed through),
 * headings get ids, and links to sibling `.md` files point at their `.html` pages, so the same files
 * read well on GitHub and on the site.
 */
import { Marked } from 'marked';
import { escapeHtml, slug } from './html.js';

export interface RenderedMarkdown {
  html: string;
  /** The first level-1 heading's text. */
  title: string | undefined;
  /** Level-2 headings, for the page's table of contents. */
  headings: { id: string; text: string }[];
}

/** `x.md` or `x.md#part` → `x.html` or `x.html#part`; other links unchanged. */
export function pageHref(href: string): string {
  return /^[a-z0-9-]+\.md(#.*)?$/.test(href) ? href.replace(/\.md(?=#|$)/, '.html') : href;
}

export function renderMarkdown(source: string): RenderedMarkdown {
  let title: string | undefined;
  const headings: { id: string; text: string }[] = [];
  const used = new Set<string>();
  const marked = new Marked({
    gfm: true,
    renderer: {
      html: ({ text }) => escapeHtml(text),
      heading({ tokens, depth, text }) {
        const inner = this.parser.parseInline(tokens);
        let id = slug(text) || 'section';
        for (let n = 2; used.has(id); n++) id = `${slug(text)}-${n}`;
        used.add(id);
        if (depth === 1) title ??= text;
        if (depth === 2) headings.push({ id, text: inner.replace(/<[^>]*>/g, '') });
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
      link({ href, title: linkTitle, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const external = /^https?:/.test(href);
        const attrs = linkTitle ? ` title="${escapeHtml(linkTitle)}"` : '';
        const rel = external ? ' rel="noopener"' : '';
        return `<a href="${escapeHtml(pageHref(href))}"${attrs}${rel}>${inner}</a>`;
      },
    },
  });
  const html = marked.parse(source, { async: false });
  return { html, title, headings };
}
