/** Every page of the site, in navigation order. All pages sit at the site's root, so links stay relative. */

export interface Page {
  /** Output file, e.g. `marketers.html`. */
  file: string;
  /** Text in the navigation. */
  nav: string;
  group: 'Start' | 'Guides' | 'Tools' | 'Reference' | 'Topics';
  /** A markdown file under content/, or an HTML fragment (tools) under content/. */
  source: string;
  /** Module script for interactive pages, relative to docs/. */
  script?: string;
}

export const PAGES: Page[] = [
  { file: 'index.html', nav: 'Overview', group: 'Start', source: 'index.md' },
  { file: 'demo.html', nav: 'Run the demo', group: 'Start', source: 'demo.md' },
  { file: 'examples.html', nav: 'Examples', group: 'Start', source: 'examples.md' },
  { file: 'web-developers.html', nav: 'Web developers', group: 'Guides', source: 'web-developers.md' },
  { file: 'marketers.html', nav: 'Marketers', group: 'Guides', source: 'marketers.md' },
  { file: 'product-teams.html', nav: 'Product teams', group: 'Guides', source: 'product-teams.md' },
  { file: 'crm-owners.html', nav: 'CRM owners', group: 'Guides', source: 'crm-owners.md' },
  {
    file: 'qualify-and-route.html',
    nav: 'Qualify and route',
    group: 'Guides',
    source: 'qualify-and-route.md',
  },
  { file: 'close-the-loop.html', nav: 'Close the loop', group: 'Guides', source: 'close-the-loop.md' },
  { file: 'funnel-report.html', nav: 'Funnel report', group: 'Guides', source: 'funnel-report.md' },
  {
    file: 'playground.html',
    nav: 'Form playground',
    group: 'Tools',
    source: 'playground.html',
    script: './src/playground.ts',
  },
  {
    file: 'inspector.html',
    nav: 'Attribution inspector',
    group: 'Tools',
    source: 'inspector.html',
    script: './src/inspector.ts',
  },
  { file: 'reference-form.html', nav: 'Form config', group: 'Reference', source: 'reference-form.md' },
  { file: 'reference-core.html', nav: 'Core options', group: 'Reference', source: 'reference-core.md' },
  {
    file: 'reference-webhook.html',
    nav: 'Adapter config',
    group: 'Reference',
    source: 'reference-webhook.md',
  },
  { file: 'lead-payload.html', nav: 'Lead payload', group: 'Reference', source: 'lead-payload.md' },
  { file: 'attribution.html', nav: 'Attribution rules', group: 'Topics', source: 'attribution.md' },
  { file: 'privacy.html', nav: 'Privacy and consent', group: 'Topics', source: 'privacy.md' },
  { file: 'security.html', nav: 'Security', group: 'Topics', source: 'security.md' },
  { file: 'operations.html', nav: 'Operations', group: 'Topics', source: 'operations.md' },
];
