/**
 * Generated parts of the docs: the reference tables (from the zod schemas and the core's TypeScript
 * source) and the JSON Schema files published for editors and receivers.
 */
import { fileURLToPath } from 'node:url';
import { LeadSchema } from '@leadkit/core/lead';
import { FormConfigSchema } from '@leadkit/form';
import { ConfigSchema } from '@leadkit/webhook';
import { z } from 'zod';
import { DESTINATIONS, describeDestination, FORM, LEAD, TOUCH, WEBHOOK } from './descriptions.js';
import { escapeHtml } from './html.js';
import { interfaceMembers } from './init-options.js';
import { flatten, inlineCode, type JsonSchema, type Row, tableHtml, variants } from './schema-table.js';

const INIT_SOURCE = fileURLToPath(new URL('../../packages/core/src/init.ts', import.meta.url));

/** JSON Schema files under `schema/` on the site. */
export function schemaFiles(): Record<string, object> {
  return {
    'schema/lead.schema.json': {
      ...z.toJSONSchema(LeadSchema, { io: 'output' }),
      title: 'Leadkit lead',
      description: 'The `data` of a Leadkit `lead.created` webhook, and the body of POST /v1/leads.',
    },
    'schema/form-config.schema.json': {
      ...z.toJSONSchema(FormConfigSchema, { io: 'input' }),
      title: 'Leadkit form config',
    },
    'schema/leadkit-config.schema.json': {
      ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
      title: 'Leadkit webhook adapter config (leadkit.config.json)',
      description:
        'Any string value may also be written as { "env": "NAME" } to read an environment variable.',
    },
  };
}

/** Flattens with the descriptions in `map`, and fails on descriptions no key uses. */
function checkedRows(
  schema: JsonSchema,
  map: Record<string, string>,
  name: string,
  named?: (s: JsonSchema) => string | undefined,
) {
  const used = new Set<string>();
  const rows = flatten(schema, {
    named,
    describe: (path) => {
      used.add(path);
      return map[path];
    },
  });
  const unused = Object.keys(map).filter((k) => !used.has(k));
  if (unused.length) {
    throw new Error(
      `docs: descriptions.ts describes ${name} keys that no longer exist: ${unused.join(', ')}`,
    );
  }
  return rows;
}

const isTouch = (s: JsonSchema) => (s.properties?.landingPage && s.properties.channel ? 'Touch' : undefined);

function formReference(): string {
  const schema = z.toJSONSchema(FormConfigSchema, { io: 'input' }) as JsonSchema;
  return tableHtml(checkedRows(schema, FORM, 'form'));
}

function webhookReference(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const main = tableHtml(checkedRows(schema, WEBHOOK, 'adapter'));
  const used = new Set<string>();
  const tables = variants(schema.properties!.destinations!.items!).map((variant) => {
    const type = String(variant.properties!.type!.const);
    const mode = variant.properties!.mode?.const;
    const rows = flatten(variant, {
      describe: (path) => {
        used.add(DESTINATIONS[`${type}.${path}`] ? `${type}.${path}` : `*.${path}`);
        return describeDestination(type, path);
      },
    });
    const title = `"type": "${type}"${mode ? `, "mode": "${mode}"` : ''}`;
    return `<h3 id="destination-${escapeHtml(`${type}${mode ? `-${mode}` : ''}`)}"><code>${escapeHtml(title)}</code></h3>\n${tableHtml(rows)}`;
  });
  const unused = Object.keys(DESTINATIONS).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`docs: destination descriptions no key uses: ${unused.join(', ')}`);
  return `${main}\n<h2 id="destinations">Destinations</h2>\n${tables.join('\n')}`;
}

function coreReference(): string {
  const rows: Row[] = interfaceMembers(INIT_SOURCE, 'InitOptions').map((m) => ({
    path: m.name,
    type: m.type,
    required: !m.optional,
    limits: '',
    description: m.description,
  }));
  return tableHtml(rows);
}

function leadReference(): string {
  const schema = z.toJSONSchema(LeadSchema, { io: 'output' }) as JsonSchema;
  const lead = tableHtml(checkedRows(schema, LEAD, 'lead', isTouch));
  const touch = schema.properties!.attribution!.properties!.firstTouch!;
  return `${lead}\n<h2 id="touch">Touch</h2>\n<p>${inlineCode('Each of `firstTouch`, `lastTouch`, `sessionEntry` and `touches[]`:')}</p>\n${tableHtml(checkedRows(touch, TOUCH, 'touch'))}`;
}

/** The blocks a markdown page can include with a line `{{reference:<name>}}`. */
export const REFERENCE_BLOCKS: Record<string, () => string> = {
  form: formReference,
  webhook: webhookReference,
  core: coreReference,
  lead: leadReference,
};
