/**
 * The docs build: every page is there, every internal link and asset resolves (with its #fragment),
 * the reference covers every schema key, and the published JSON Schemas are usable.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { LeadSchema } from '@leadkit/core/lead';
import { FormConfigSchema } from '@leadkit/form';
import { ConfigSchema } from '@leadkit/webhook';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PAGES } from '../build/pages.js';
import { flatten, type JsonSchema, variants } from '../build/schema-table.js';
import { buildDocs, DOCS } from './build-site.js';

let out: string;
const html = new Map<string, string>();

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

beforeAll(async () => {
  out = await buildDocs();
  for (const file of files(out).filter((f) => f.endsWith('.html'))) {
    html.set(relative(out, file), readFileSync(file, 'utf8'));
  }
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ids = (page: string) => new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
const allKeys = (schema: JsonSchema) => flatten(schema, { describe: () => '' }).map((r) => r.path);

describe('docs build', () => {
  it('has every page of the navigation', () => {
    expect([...html.keys()].sort()).toEqual(PAGES.map((p) => p.file).sort());
  });

  it('has no broken internal links, images, scripts or stylesheets', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const [file, page] of html) {
      for (const [, attr, value] of page.matchAll(/\s(href|src)="([^"]*)"/g)) {
        if (/^(https?:|mailto:|data:)/.test(value!)) continue;
        checked++;
        const [path, fragment] = value!.split('#') as [string, string | undefined];
        const target = path ? relative(out, resolve(out, dirname(file), path.split('?')[0]!)) : file;
        const exists = target === '' || files(out).some((f) => relative(out, f) === target);
        if (!exists || target.startsWith('..')) {
          broken.push(`${file}: ${attr}="${value}" (no file ${target})`);
        } else if (fragment && target.endsWith('.html') && !ids(html.get(target)!).has(fragment)) {
          broken.push(`${file}: ${attr}="${value}" (no id "${fragment}" in ${target})`);
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(PAGES.length * PAGES.length); // the navigation alone links every page
  });

  it('the form reference lists every key of FormConfigSchema', () => {
    const page = html.get('reference-form.html')!;
    const keys = allKeys(z.toJSONSchema(FormConfigSchema, { io: 'input' }) as JsonSchema);
    expect(keys).toContain('display.trigger');
    for (const key of keys) expect(page).toContain(`<code>${key}</code>`);
  });

  it('the adapter reference lists every key, and every destination type with its own keys', () => {
    const page = html.get('reference-webhook.html')!;
    const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    for (const key of allKeys(schema)) expect(page).toContain(`<code>${key}</code>`);
    const destinations = variants(schema.properties!.destinations!.items!);
    expect(destinations.map((d) => d.properties!.type!.const)).toEqual(
      expect.arrayContaining(['webhook', 'hubspot', 'salesforce', 'pipedrive', 'slack']),
    );
    for (const d of destinations) {
      const mode = d.properties!.mode?.const;
      const id = `destination-${d.properties!.type!.const}${mode ? `-${mode}` : ''}`;
      const section = page.slice(page.indexOf(`id="${id}"`));
      for (const key of allKeys(d)) expect(section).toContain(`<code>${key}</code>`);
    }
  });

  it('the core reference is read from InitOptions, doc comments included', () => {
    const page = html.get('reference-core.html')!;
    for (const key of ['consent', 'honorGpc', 'attributionDays', 'hiddenFields', 'crossDomain', 'rules']) {
      expect(page).toContain(`<code>${key}</code>`);
    }
    expect(page).toContain('Global Privacy Control');
  });

  it('publishes the lead as JSON Schema that accepts a lead and refuses a broken one', () => {
    const schema = JSON.parse(readFileSync(join(out, 'schema/lead.schema.json'), 'utf8'));
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'formId', 'fields']));
    // The published file round-trips into zod: the same acceptance as LeadSchema.
    const fromFile = z.fromJSONSchema(schema);
    const lead = LeadSchema.parse({
      id: 'lead_0123456789',
      formId: 'contact',
      fields: { email: 'a@b.example' },
    });
    expect(fromFile.safeParse(lead).success).toBe(true);
    expect(fromFile.safeParse({ ...lead, id: 'has.dot.in.it' }).success).toBe(false);
    for (const name of ['form-config.schema.json', 'leadkit-config.schema.json']) {
      expect(JSON.parse(readFileSync(join(out, 'schema', name), 'utf8')).type).toBe('object');
    }
  });

  it('escapes what it renders: raw HTML in markdown shows as text', async () => {
    const { renderMarkdown } = await import('../build/markdown.js');
    const { html: rendered } = renderMarkdown('# T\n\n<script>alert(1)</script>\n\n[next](marketers.md#x)');
    expect(rendered).not.toContain('<script>');
    expect(rendered).toContain('&lt;script&gt;');
    expect(rendered).toContain('href="marketers.html#x"');
  });
});

describe('links into the docs from the repository', () => {
  it('every relative link in the root README and the markdown sources points at a file', () => {
    const root = resolve(DOCS, '..');
    const sources = [
      join(root, 'README.md'),
      ...files(join(DOCS, 'content')).filter((f) => f.endsWith('.md')),
    ];
    const broken: string[] = [];
    for (const source of sources) {
      for (const [, target] of readFileSync(source, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target!)) continue;
        const path = resolve(dirname(source), target!.split('#')[0]!);
        // Pages that exist only on the built site (the tools, the published schemas) are in PAGES or schema/.
        const built = PAGES.some((p) => p.file === target!.split('#')[0]) || target!.startsWith('schema/');
        if (!built && !existsSync(path)) broken.push(`${relative(root, source)}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('reference drift', () => {
  it('a schema key without a description stops the build, naming the key', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { known: { type: 'string' }, added: { type: 'number' } },
    };
    expect(() => flatten(schema, { describe: (p) => (p === 'known' ? 'A key.' : undefined) })).toThrow(
      /no description for "added"/,
    );
  });
});
