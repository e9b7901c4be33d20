import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import {
  createTeams,
  escapeCardMarkdown,
  TeamsDestinationSchema,
  teamsUrlProblem,
} from '../src/destinations/teams.js';
import {
  answersFirstAfterTimeout,
  deliverOnce,
  deliverTimes,
  deliveryContext,
  outcomeOf,
  qualifiedFor,
  type RecordedRequest,
  sampleLead,
  useVendorDoubles,
  type VendorAnswer,
  type VendorScript,
} from './dest-helpers.js';

// The shape of a Workflows trigger URL since 2025 (environment host, /powerautomate/automations/direct/...).
const TRIGGER_PATH =
  '/powerautomate/automations/direct/workflows/0c1d2e3f4a5b4c6d8e9f0a1b2c3d4e5f/triggers/manual/paths/invoke';
const SIG = 'SECRETsig_0123456789abcdefghijklmnopqrstuv';
const QUERY = `?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;

const startVendor = useVendorDoubles();

/** A Workflows trigger double: checks the request is a POST of JSON to the signed trigger URL. */
async function workflows(answer: VendorScript) {
  const v = await startVendor((req, i) => {
    if (req.method !== 'POST' || req.path !== TRIGGER_PATH || req.query.get('sig') !== SIG) {
      return {
        status: 401,
        body: { error: { code: 'DirectApiInvalidAuthorizationSignature', message: 'x' } },
      };
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      return { status: 415, body: { error: { code: 'UnsupportedMediaType', message: 'x' } } };
    }
    return answer(req, i);
  });
  return { v, url: `${v.origin}${TRIGGER_PATH}${QUERY}` };
}

// A Request trigger without a Response action answers 202 with no body as soon as the run starts.
const accepted: VendorAnswer = { status: 202 };
const deps = { allowHosts: ['127.0.0.1'] };

type Card = {
  type: string;
  version: string;
  body: { type: string; inlines?: { text: string }[]; facts?: { title: string; value: string }[] }[];
  actions?: unknown[];
};
const cardOf = (req: RecordedRequest) =>
  (req.json as { attachments: { content: Card }[] }).attachments[0]!.content;
const factsOf = (req: RecordedRequest) => cardOf(req).body.find((b) => b.type === 'FactSet')!.facts!;

describe('Microsoft Teams (Workflows)', () => {
  it('posts one Adaptive Card 1.4 attachment to the signed trigger URL; 202 is delivered', async () => {
    const { v, url } = await workflows(() => accepted);
    const dest = createTeams(
      { type: 'teams', name: 'sales', url, inboxUrl: 'https://leads.example.com/inbox' },
      deps,
    );
    expect(await deliverOnce(dest)).toEqual({ kind: 'ok', status: 202 });

    const req = v.requests[0]!;
    expect(req.query.get('api-version')).toBe('1');
    expect(req.query.get('sp')).toBe('/triggers/manual/run');
    expect(req.json).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              {
                type: 'RichTextBlock',
                inlines: [
                  {
                    type: 'TextRun',
                    text: 'New lead: Ada Lovelace (Analytical Engines Ltd) via Paid Search',
                    size: 'Large',
                    weight: 'Bolder',
                  },
                ],
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Name', value: 'Ada Lovelace' },
                  { title: 'Email', value: 'ada@example.com' },
                  { title: 'Company', value: 'Analytical Engines Ltd' },
                  { title: 'Phone', value: '+44 20 7946 0000' },
                  { title: 'Channel', value: 'Paid Search' },
                  { title: 'Campaign', value: 'spring\\_launch' },
                  { title: 'First touch', value: 'Organic Search · google / organic' },
                  { title: 'Last touch', value: 'Paid Search · google / cpc · spring\\_launch' },
                  { title: 'Landing page', value: 'https://www.example.com/blog/engines' },
                  { title: 'Form page', value: 'https://www.example.com/contact' },
                ],
              },
              { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Message', weight: 'Bolder' }] },
              { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'We would like a demo.' }] },
              {
                type: 'RichTextBlock',
                inlines: [
                  {
                    type: 'TextRun',
                    text: 'Form contact-sales · lead lead_01J8Z3W6PQ4B7N2M5K8X · 2026-09-01T09:59:57.000Z',
                    isSubtle: true,
                    size: 'Small',
                  },
                ],
              },
            ],
            actions: [
              {
                type: 'Action.OpenUrl',
                title: 'Open in inbox',
                url: 'https://leads.example.com/inbox?lead=lead_01J8Z3W6PQ4B7N2M5K8X',
              },
            ],
          },
        },
      ],
    });
  });

  it('shows score and owner when the lead was qualified, and no action without inboxUrl', async () => {
    const { v, url } = await workflows(() => accepted);
    const qualification = qualifiedFor({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      slack: 'U024BE7LH',
    });
    const dest = createTeams(
      { type: 'teams', name: 'sales', url, fields: { Budget: 'fields.budget' } },
      deps,
    );
    await dest.deliver(
      sampleLead({ fields: { email: 'x@y.z', budget: '10k' }, attribution: undefined, page: undefined }),
      deliveryContext({ qualification }),
    );
    const req = v.requests[0]!;
    expect(factsOf(req)).toEqual([
      { title: 'Email', value: 'x@y.z' },
      { title: 'Score', value: '72 (A)' },
      { title: 'Stage', value: 'MQL' },
      { title: 'Budget', value: '10k' },
      { title: 'Owner', value: 'Grace Hopper' },
    ]);
    expect(cardOf(req).actions).toBeUndefined();
    // A rep without a `teams` id is named, not mentioned: the card carries no mention entity.
    expect(cardOf(req)).not.toHaveProperty('msteams');
  });

  it('mentions the owner who has a teams id: <at>Name</at> in the Owner fact and one msteams mention entity', async () => {
    const { v, url } = await workflows(() => accepted);
    const qualification = qualifiedFor({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      teams: 'grace@contoso.onmicrosoft.com',
    });
    const dest = createTeams({ type: 'teams', name: 'sales', url }, deps);
    const lead = sampleLead({ fields: { email: 'x@y.z' }, attribution: undefined, page: undefined });
    expect(await dest.deliver(lead, deliveryContext({ qualification }))).toEqual({ kind: 'ok', status: 202 });

    const req = v.requests[0]!;
    expect(factsOf(req)).toEqual([
      { title: 'Email', value: 'x@y.z' },
      { title: 'Score', value: '72 (A)' },
      { title: 'Stage', value: 'MQL' },
      { title: 'Owner', value: '<at>Grace Hopper</at>' },
    ]);
    expect((cardOf(req) as Card & { msteams?: unknown }).msteams).toEqual({
      entities: [
        {
          type: 'mention',
          text: '<at>Grace Hopper</at>',
          mentioned: { id: 'grace@contoso.onmicrosoft.com', name: 'Grace Hopper' },
        },
      ],
    });
  });

  it('a visitor’s <at> text never becomes a mention, even when it spells the owner’s tag', async () => {
    const { v, url } = await workflows(() => accepted);
    const objectId = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
    const qualification = qualifiedFor({ name: 'Grace Hopper', teams: objectId });
    const dest = createTeams({ type: 'teams', name: 'sales', url }, deps);
    const forged = '<at>Grace Hopper</at> <AT>Sales</AT>';
    await dest.deliver(
      sampleLead({ fields: { name: forged, company: forged, message: forged } }),
      deliveryContext({ qualification }),
    );
    const card = cardOf(v.requests[0]!) as Card & { msteams: { entities: { mentioned: { id: string } }[] } };
    // The one entity is the configured owner's, and its tag appears once in the body: in the Owner fact.
    expect(card.msteams.entities.map((e) => e.mentioned.id)).toEqual([objectId]);
    const body = JSON.stringify(card.body);
    expect(body.split('<at>Grace Hopper</at>')).toHaveLength(2);
    expect(factsOf(v.requests[0]!).at(-1)).toEqual({ title: 'Owner', value: '<at>Grace Hopper</at>' });
    // Nowhere else in the body does a tag remain whole: facts escape its `<` with a backslash, TextRuns
    // carry a word joiner after it.
    const elsewhere = body.replace('<at>Grace Hopper</at>', '');
    expect(elsewhere).not.toMatch(/(?<!\\)<\/?at/i);
    expect(elsewhere).toContain('<\u2060at>Grace Hopper<\u2060/at>');
    expect(elsewhere).toContain('Grace Hopper');
  });

  it('escapes Markdown in every fact, so a lead cannot add a link, a mention or emphasis', async () => {
    const { v, url } = await workflows(() => accepted);
    const dest = createTeams({ type: 'teams', name: 'sales', url }, deps);
    await dest.deliver(
      sampleLead({
        fields: {
          name: '[Your bank](https://evil.example) <at>Sales</at>',
          email: 'm@evil.example',
          company: '**Urgent**\n- wire money _now_',
          message: '[click](https://evil.example) **now**',
        },
      }),
      deliveryContext(),
    );
    const req = v.requests[0]!;
    const facts = factsOf(req);
    expect(facts[0]).toEqual({
      title: 'Name',
      value: '\\[Your bank\\](https://evil.example) \\<at\\>Sales\\</at\\>',
    });
    expect(facts[2]).toEqual({ title: 'Company', value: '\\*\\*Urgent\\*\\* - wire money \\_now\\_' });
    // TextRun is never parsed as Markdown: the heading and the message carry the text as typed, but for
    // an invisible word joiner (U+2060) after the `<` of a mention tag.
    const runs = cardOf(req)
      .body.flatMap((b) => b.inlines ?? [])
      .map((r) => r.text);
    expect(runs).toContain('[click](https://evil.example) **now**');
    expect(runs[0]).toBe(
      'New lead: [Your bank](https://evil.example) <\u2060at>Sales<\u2060/at> (**Urgent**\n- wire money _now_) via Paid Search',
    );
    // No unescaped link syntax anywhere Teams parses Markdown.
    for (const { value } of facts) expect(value).not.toMatch(/(?<!\\)[[<*_]/);
  });

  it.each([
    [
      400,
      'WorkflowTriggerIsNotEnabled',
      "The workflow 'x' trigger 'manual' could not be run since the workflow state is 'Disabled'.",
      'turn it on in the Workflows app',
    ],
    [
      400,
      'TriggerInputSchemaMismatch',
      "The input body for trigger 'manual' of type 'Request' did not match its schema definition.",
      'remove the schema',
    ],
    [
      401,
      'DirectApiInvalidAuthorizationSignature',
      'The provided authorization signature is not valid.',
      'copy the whole URL',
    ],
    [404, 'WorkflowNotFound', 'The workflow could not be found.', 'create it again in Teams'],
  ])('%i %s fails for good, names the code and says what to do', async (status, code, message, hint) => {
    const { url } = await workflows(() => ({ status, body: { error: { code, message } } }));
    const result = await deliverOnce(createTeams({ type: 'teams', name: 't', url }, deps));
    expect(result).toMatchObject({ kind: 'fail', status });
    const reason = result.kind === 'fail' ? result.reason : '';
    expect(reason).toContain(`Microsoft Teams answered ${status}: ${code} (${message})`);
    expect(reason).toContain(hint);
    // The sig query parameter is the credential: it never appears in a reason.
    expect(reason).not.toContain(SIG);
  });

  it('429 waits for Retry-After; 502 is retried', async () => {
    const { url } = await workflows((_r, i) =>
      i === 0
        ? {
            status: 429,
            headers: { 'retry-after': '17' },
            body: { error: { code: 'WorkflowRequestsThrottled', message: 'Rate limit exceeded.' } },
          }
        : { status: 502, body: '<html>Bad Gateway</html>' },
    );
    const dest = createTeams({ type: 'teams', name: 't', url }, deps);
    expect((await deliverTimes(dest, 2)).map(outcomeOf)).toEqual([
      [429, 17_000],
      [502, undefined],
    ]);
  });

  it('a timed-out attempt is retried, and the retry posts a second card (the trigger has no idempotency key)', async () => {
    const timeout = new AbortController();
    // The first request reaches the flow, then the attempt times out before the answer arrives.
    const { v, url } = await workflows(answersFirstAfterTimeout(timeout, () => accepted));
    const dest = createTeams({ type: 'teams', name: 't', url }, deps);
    const first = await dest.deliver(sampleLead(), deliveryContext({ signal: timeout.signal }));
    expect(first).toMatchObject({ kind: 'retry' });
    expect(first.kind === 'retry' && first.reason).toContain('did not answer before the attempt timed out');
    expect(await deliverOnce(dest)).toEqual({ kind: 'ok', status: 202 });
    expect(v.requests).toHaveLength(2);
    // Both cards carry the lead id, so a duplicate is recognisable in the channel.
    for (const req of v.requests)
      expect(JSON.stringify(req.json)).toContain('lead lead_01J8Z3W6PQ4B7N2M5K8X');
  });
});

describe('Teams helpers and config', () => {
  it('escapeCardMarkdown escapes link, emphasis, code and mention characters and a leading list marker', () => {
    expect(escapeCardMarkdown('a\\b *c* _d_ ~e~ `f` [g](h) <at>i</at>')).toBe(
      'a\\\\b \\*c\\* \\_d\\_ \\~e\\~ \\`f\\` \\[g\\](h) \\<at\\>i\\</at\\>',
    );
    expect(escapeCardMarkdown('- item')).toBe('\\- item');
    expect(escapeCardMarkdown('1. first\r\n2. second')).toBe('1\\. first 2. second');
    // Only markup escapes: an address, a phone number and "2024." stay as typed.
    expect(escapeCardMarkdown('ada@example.com +44 20 2024.')).toBe('ada@example.com +44 20 2024.');
  });

  it('accepts Workflows and Logic Apps hosts over https, refuses retired connectors and other hosts', () => {
    expect(
      teamsUrlProblem(
        `https://default0a1b.2c.environment.api.powerplatform.com:443${TRIGGER_PATH}${QUERY}`,
        [],
      ),
    ).toBeUndefined();
    expect(
      teamsUrlProblem(
        `https://prod-161.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke${QUERY}`,
        [],
      ),
    ).toBeUndefined();
    expect(
      teamsUrlProblem('https://contoso.webhook.office.com/webhookb2/a@b/IncomingWebhook/c/d', []),
    ).toMatch(/Office 365 connector webhook, which Microsoft retired/);
    expect(teamsUrlProblem('https://evil.example/workflows/x', [])).toMatch(
      /must be a Workflows webhook URL/,
    );
    expect(teamsUrlProblem('http://prod-1.westeurope.logic.azure.com/workflows/x', [])).toMatch(
      /must be a Workflows webhook URL/,
    );
    expect(teamsUrlProblem('http://127.0.0.1:8080/x', ['127.0.0.1'])).toBeUndefined();
    expect(() =>
      createTeams({ type: 'teams', name: 't', url: 'https://evil.example/x' }, { allowHosts: [] }),
    ).toThrow(/destination "t": url must be a Workflows webhook URL/);
  });

  it('config errors name the key', () => {
    expect(() =>
      parseConfig({
        destinations: [{ type: 'teams', name: 'teams', url: 'https://outlook.office.com/webhook/x' }],
      }),
    ).toThrow(/destinations\[0\]\.url: is an Office 365 connector webhook/);
    const r = TeamsDestinationSchema.safeParse({ type: 'teams', name: 't', url: 'not a url' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('must be the Workflows webhook URL');
    const typo = TeamsDestinationSchema.safeParse({
      type: 'teams',
      name: 't',
      url: 'https://x.logic.azure.com/',
      webhookUrl: 'x',
    });
    expect(typo.success).toBe(false);
  });

  it('a rep’s teams id is a UPN or an Entra object id; anything else names the key', () => {
    const reps = (teams: string) => ({ owners: { reps: [{ name: 'Grace', teams }] } });
    for (const id of [
      'grace@contoso.com',
      'grace.hopper@contoso.onmicrosoft.com',
      '87D349ED-44D7-43E1-9A83-5F2406DEE5BD',
    ]) {
      expect(parseConfig(reps(id)).owners!.reps[0]!.teams).toBe(id);
    }
    for (const id of ['Grace Hopper', '<at>Grace</at>', 'grace@', '87d349ed-44d7-43e1-9a83']) {
      expect(() => parseConfig(reps(id))).toThrow(
        /owners\.reps\[0\]\.teams: must be the rep’s Teams sign-in name/,
      );
    }
  });
});
