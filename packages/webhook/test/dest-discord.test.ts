import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import {
  createDiscord,
  DISCORD_LIMITS,
  DiscordDestinationSchema,
  discordMessage,
  discordUrlProblem,
  embedLength,
  escapeDiscordMarkdown,
  firstFormError,
} from '../src/destinations/discord.js';
import { decideOwner } from '../src/owners.js';
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

const HOOK_ID = '1234567890123456789';
const TOKEN = 'SECRETtoken_abcdefghijklmnopqrstuvwxyz-0123456789';
const HOOK_PATH = `/api/webhooks/${HOOK_ID}/${TOKEN}`;

const startVendor = useVendorDoubles();

/** A message the way Execute Webhook with wait=true answers: the created message object. */
const created = (req: RecordedRequest): VendorAnswer => ({
  status: 200,
  body: {
    id: '1111111111111111111',
    type: 0,
    channel_id: '2222222222222222222',
    webhook_id: HOOK_ID,
    ...(req.json as object),
  },
});

/** A Discord double: checks method, path, wait=true and JSON, as Execute Webhook documents them. */
async function discord(answer: VendorScript) {
  const v = await startVendor((req, i) => {
    if (req.method !== 'POST' || req.path !== HOOK_PATH) {
      return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    }
    if (req.query.get('wait') !== 'true' || req.headers['content-type'] !== 'application/json') {
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
    }
    return answer(req, i);
  });
  return { v, webhookUrl: `${v.origin}${HOOK_PATH}` };
}

const deps = { allowHosts: ['127.0.0.1'] };

type Embed = {
  title: string;
  url?: string;
  description?: string;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
  timestamp?: string;
};
const embedOf = (req: RecordedRequest) => (req.json as { embeds: Embed[] }).embeds[0]!;

describe('Discord', () => {
  it('posts one embed per lead with wait=true, mentions off; 200 is delivered with the message id', async () => {
    const { v, webhookUrl } = await discord(created);
    const dest = createDiscord(
      {
        type: 'discord',
        name: 'community',
        webhookUrl,
        username: 'Leadkit',
        inboxUrl: 'https://leads.example.com/inbox',
      },
      deps,
    );
    expect(await deliverOnce(dest)).toEqual({
      kind: 'ok',
      status: 200,
      detail: 'message 1111111111111111111',
    });
    const req = v.requests[0]!;
    expect(req.json).toEqual({
      content: 'New lead: Ada Lovelace (Analytical Engines Ltd) via Paid Search',
      username: 'Leadkit',
      embeds: [
        {
          title: 'Ada Lovelace',
          url: 'https://leads.example.com/inbox?lead=lead_01J8Z3W6PQ4B7N2M5K8X',
          description: 'We would like a demo.',
          fields: [
            { name: 'Name', value: 'Ada Lovelace', inline: true },
            { name: 'Email', value: 'ada@example.com', inline: true },
            { name: 'Company', value: 'Analytical Engines Ltd', inline: true },
            { name: 'Phone', value: '+44 20 7946 0000', inline: true },
            { name: 'Channel', value: 'Paid Search', inline: true },
            { name: 'Campaign', value: 'spring\\_launch', inline: true },
            { name: 'First touch', value: 'Organic Search · google / organic', inline: true },
            { name: 'Last touch', value: 'Paid Search · google / cpc · spring\\_launch', inline: true },
            { name: 'Landing page', value: 'https://www.example.com/blog/engines', inline: true },
            { name: 'Form page', value: 'https://www.example.com/contact', inline: true },
          ],
          footer: { text: 'Form contact-sales · lead lead_01J8Z3W6PQ4B7N2M5K8X · 2026-09-01T09:59:57.000Z' },
          // The server's receipt time from the delivery context.
          timestamp: '2026-09-01T09:59:58.000Z',
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('keeps a thread_id in the URL and adds score, stage and owner when the lead was qualified', async () => {
    const { v, webhookUrl } = await discord(created);
    const qualification = qualifiedFor({ name: 'Grace Hopper', slack: 'U024BE7LH' });
    const dest = createDiscord(
      { type: 'discord', name: 'c', webhookUrl: `${webhookUrl}?thread_id=42` },
      deps,
    );
    await dest.deliver(
      sampleLead({ fields: { email: 'x@y.z' }, attribution: undefined, page: undefined }),
      deliveryContext({ qualification }),
    );
    const req = v.requests[0]!;
    expect(req.query.get('thread_id')).toBe('42');
    expect(embedOf(req).fields.map((f) => [f.name, f.value])).toEqual([
      ['Email', 'x@y.z'],
      ['Score', '72 (A)'],
      ['Stage', 'MQL'],
      ['Owner', 'Grace Hopper'],
    ]);
    expect((req.json as { username?: string }).username).toBeUndefined();
    // A rep without a `discord` id is named, not pinged: nobody may be mentioned.
    expect((req.json as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] });
    expect((req.json as { content: string }).content).toBe('New lead: x@y.z');
  });

  it('pings the owner who has a discord id: <@id> in the text and the Owner field, allowed_mentions.users = [id]', async () => {
    const { v, webhookUrl } = await discord(created);
    const qualification = qualifiedFor({
      name: 'Grace Hopper',
      slack: 'U024BE7LH',
      discord: '80351110224678912',
    });
    const dest = createDiscord({ type: 'discord', name: 'c', webhookUrl }, deps);
    const result = await dest.deliver(
      sampleLead({ fields: { email: 'x@y.z' }, attribution: undefined, page: undefined }),
      deliveryContext({ qualification }),
    );
    expect(result).toEqual({ kind: 'ok', status: 200, detail: 'message 1111111111111111111' });
    const body = v.requests[0]!.json as { content: string; allowed_mentions: unknown };
    expect(body.content).toBe('New lead: x@y.z · owner <@80351110224678912>');
    expect(body.allowed_mentions).toEqual({ parse: [], users: ['80351110224678912'] });
    expect(embedOf(v.requests[0]!).fields.at(-1)).toEqual({
      name: 'Owner',
      value: '<@80351110224678912>',
      inline: true,
    });
  });

  it('a visitor’s <@id> never pings: it stays escaped, and only the owner’s id is allowed', async () => {
    const { v, webhookUrl } = await discord(created);
    const owner = '80351110224678912';
    const qualification = qualifiedFor({ name: 'Grace', discord: owner });
    const dest = createDiscord({ type: 'discord', name: 'c', webhookUrl }, deps);
    const typed = `<@123456789012345678> <@${owner}> <@&42> @here`;
    await dest.deliver(
      sampleLead({ fields: { name: typed, company: typed, message: typed } }),
      deliveryContext({ qualification }),
    );
    const body = v.requests[0]!.json as { content: string; embeds: Embed[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [], users: [owner] });
    // In the text (the only place a mention notifies) one unescaped mention remains: the owner's, at the end.
    expect(body.content.match(/(?<!\\)<@/g)).toHaveLength(1);
    expect(body.content).toMatch(new RegExp(` · owner <@${owner}>$`));
    expect(body.content).toContain('\\<@123456789012345678> \\<@80351110224678912> \\<@&42> \\@here');
    const embedText = JSON.stringify(body.embeds);
    expect(embedText.match(/(?<!\\\\)<@/g)).toHaveLength(1);
  });

  it('a headline cut to 2000 characters keeps the owner’s ping whole', () => {
    const owner = '80351110224678912';
    const message = discordMessage(
      sampleLead({ fields: { name: 'A'.repeat(3000) } }),
      { title: 'New lead' },
      {
        qualification: {
          score: 1,
          grade: 'D',
          fired: [],
          stage: 'lead',
          owner: { name: 'G', discord: owner },
        },
      },
    );
    expect(message.content).toHaveLength(DISCORD_LIMITS.content);
    expect(message.content.endsWith(`… · owner <@${owner}>`)).toBe(true);
  });

  it('escapes Markdown and mentions in every visitor value; allowed_mentions keeps @everyone silent', async () => {
    const { v, webhookUrl } = await discord(created);
    const dest = createDiscord({ type: 'discord', name: 'c', webhookUrl }, deps);
    await dest.deliver(
      sampleLead({
        fields: {
          name: '@everyone [Your bank](https://evil.example)',
          email: 'm@evil.example',
          company: '**Urgent** ||spoiler|| <@123>',
          message: '# Heading\n> quote\n- wire money `now` ~~please~~',
        },
      }),
      deliveryContext(),
    );
    const body = v.requests[0]!.json as { content: string; embeds: Embed[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBe(
      'New lead: \\@everyone \\[Your bank\\](https://evil.example) (\\*\\*Urgent\\*\\* \\|\\|spoiler\\|\\| \\<@123>) via Paid Search',
    );
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('\\@everyone \\[Your bank\\](https://evil.example)');
    expect(embed.description).toBe('\\# Heading\n\\> quote\n\\- wire money \\`now\\` \\~\\~please\\~\\~');
    expect(embed.fields.find((f) => f.name === 'Email')!.value).toBe('m@evil.example');
  });

  it('cuts values to Discord limits instead of failing: 1024 per field, 25 fields, 6000 in all', () => {
    const long = 'x'.repeat(5000);
    const fields = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`Extra ${i + 1}`, { value: long }]),
    );
    const message = discordMessage(
      sampleLead({ fields: { name: 'y'.repeat(400), email: 'a@b.c', message: long } }),
      { title: 'New lead', fields },
    );
    const embed = message.embeds[0]!;
    expect(embed.title).toHaveLength(DISCORD_LIMITS.title);
    expect(embed.title.endsWith('…')).toBe(true);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields) expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(embedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(embed.footer.text).toMatch(/more rows not shown$/);
    expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  });

  it('400 Invalid Form Body fails for good and names the refused field', async () => {
    const { webhookUrl } = await discord(() => ({
      status: 400,
      body: {
        code: 50035,
        errors: {
          username: {
            _errors: [{ code: 'USERNAME_INVALID_CONTAINS', message: 'Username cannot contain "discord"' }],
          },
        },
        message: 'Invalid Form Body',
      },
    }));
    const dest = createDiscord({ type: 'discord', name: 'c', webhookUrl, username: 'My discord bot' }, deps);
    const result = await deliverOnce(dest);
    expect(result).toMatchObject({ kind: 'fail', status: 400 });
    const reason = result.kind === 'fail' ? result.reason : '';
    expect(reason).toContain(
      'Discord answered 400: Invalid Form Body (50035): username: Username cannot contain "discord" (USERNAME_INVALID_CONTAINS)',
    );
    expect(reason).toContain('pick another name');
  });

  it.each([
    [404, { message: 'Unknown Webhook', code: 10015 }, 'The webhook was deleted'],
    [401, { message: 'Invalid Webhook Token', code: 50027 }, 'copy the webhook URL again'],
  ])('%i %o fails for good with what to do, never showing the token', async (status, body, hint) => {
    const { webhookUrl } = await discord(() => ({ status, body }));
    const result = await deliverOnce(createDiscord({ type: 'discord', name: 'c', webhookUrl }, deps));
    expect(result).toMatchObject({ kind: 'fail', status });
    const reason = result.kind === 'fail' ? result.reason : '';
    expect(reason).toContain(`Discord answered ${status}: ${body.message} (${body.code}). `);
    expect(reason).toContain(hint);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('429 waits retry_after from the body (seconds, a float); without a body, Retry-After; 5xx retries', async () => {
    const { webhookUrl } = await discord(
      (_r, i): VendorAnswer =>
        i === 0
          ? {
              status: 429,
              headers: {
                'retry-after': '3',
                'x-ratelimit-reset-after': '2.345',
                'x-ratelimit-scope': 'shared',
              },
              body: { message: 'You are being rate limited.', retry_after: 2.345, global: false },
            }
          : i === 1
            ? { status: 429, headers: { 'retry-after': '7' }, body: '<html>rate limited</html>' }
            : { status: 503, body: 'upstream connect error' },
    );
    const dest = createDiscord({ type: 'discord', name: 'c', webhookUrl }, deps);
    expect((await deliverTimes(dest, 3)).map(outcomeOf)).toEqual([
      [429, 2345],
      [429, 7000],
      [503, undefined],
    ]);
  });

  it('a timed-out attempt is retried, and the retry posts a second message (Execute Webhook takes no nonce)', async () => {
    const timeout = new AbortController();
    const { v, webhookUrl } = await discord(answersFirstAfterTimeout(timeout, created));
    const dest = createDiscord({ type: 'discord', name: 'c', webhookUrl }, deps);
    const first = await dest.deliver(sampleLead(), deliveryContext({ signal: timeout.signal }));
    expect(first.kind === 'retry' && first.reason).toContain('did not answer before the attempt timed out');
    expect(await deliverOnce(dest)).toMatchObject({ kind: 'ok', status: 200 });
    expect(v.requests).toHaveLength(2);
    expect(v.requests[0]!.body).toBe(v.requests[1]!.body);
  });
});

describe('Discord helpers and config', () => {
  it('escapeDiscordMarkdown escapes inline markup everywhere and block markers at line starts', () => {
    expect(escapeDiscordMarkdown('a\\b *c* _d_ ~e~ `f` ||g|| [h](i) <@1> @here')).toBe(
      'a\\\\b \\*c\\* \\_d\\_ \\~e\\~ \\`f\\` \\|\\|g\\|\\| \\[h\\](i) \\<@1> \\@here',
    );
    expect(escapeDiscordMarkdown('# h\n  - item\n1. one\nplain - text')).toBe(
      '\\# h\n  \\- item\n1\\. one\nplain - text',
    );
    // Only markup escapes: an address, a phone number and "#1" stay as typed.
    expect(escapeDiscordMarkdown('ada@example.com +44 20 #1')).toBe('ada@example.com +44 20 #1');
  });

  it('firstFormError walks the nested errors to the first _errors entry', () => {
    expect(
      firstFormError({
        embeds: {
          '0': {
            fields: {
              '3': {
                value: {
                  _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 1024 or fewer in length.' }],
                },
              },
            },
          },
        },
      }),
    ).toBe('embeds.0.fields.3.value: Must be 1024 or fewer in length. (BASE_TYPE_MAX_LENGTH)');
    expect(firstFormError(undefined)).toBeUndefined();
  });

  it('accepts Discord webhook URLs only (host and path), unless security.allowHosts lists the host', () => {
    expect(discordUrlProblem(`https://discord.com${HOOK_PATH}`, [])).toBeUndefined();
    expect(
      discordUrlProblem(`https://canary.discord.com/api/v10/webhooks/${HOOK_ID}/${TOKEN}`, []),
    ).toBeUndefined();
    expect(discordUrlProblem(`https://evil.example${HOOK_PATH}`, [])).toMatch(
      /must be a Discord channel webhook URL/,
    );
    expect(discordUrlProblem(`http://discord.com${HOOK_PATH}`, [])).toMatch(/must be a Discord/);
    expect(discordUrlProblem('https://discord.com/channels/1/2', [])).toMatch(/must be a Discord/);
    expect(discordUrlProblem(`http://127.0.0.1:9${HOOK_PATH}`, ['127.0.0.1'])).toBeUndefined();
    expect(() =>
      createDiscord(
        { type: 'discord', name: 'c', webhookUrl: `https://evil.example${HOOK_PATH}` },
        { allowHosts: [] },
      ),
    ).toThrow(/destination "c": webhookUrl must be a Discord channel webhook URL/);
  });

  it('config errors name the key', () => {
    expect(() =>
      parseConfig({
        destinations: [{ type: 'discord', name: 'd', webhookUrl: 'https://discord.com/channels/1/2' }],
      }),
    ).toThrow(/destinations\[0\]\.webhookUrl: must be a Discord channel webhook URL/);
    const r = DiscordDestinationSchema.safeParse({ type: 'discord', name: 'd', webhookUrl: 'nope' });
    expect(r.error!.issues[0]!.message).toContain('must be the channel webhook URL');
    const long = DiscordDestinationSchema.safeParse({
      type: 'discord',
      name: 'd',
      webhookUrl: `https://discord.com${HOOK_PATH}`,
      username: 'u'.repeat(81),
    });
    expect(long.error!.issues[0]!.path).toEqual(['username']);
  });

  it('the assigned owner carries the rep’s teams and discord ids to the destinations', () => {
    const config = parseConfig({
      owners: {
        reps: [
          { name: 'Grace', email: 'g@example.com', teams: 'grace@contoso.com', discord: '80351110224678912' },
        ],
      },
    });
    expect(decideOwner(config.owners!, {})).toEqual({
      owner: {
        name: 'Grace',
        email: 'g@example.com',
        teams: 'grace@contoso.com',
        discord: '80351110224678912',
      },
    });
  });

  it('a rep’s discord id is a 17-20 digit snowflake; anything else names the key', () => {
    const reps = (discord: string) => ({ owners: { reps: [{ name: 'Grace', discord }] } });
    for (const id of ['80351110224678912', '12345678901234567890']) {
      expect(parseConfig(reps(id)).owners!.reps[0]!.discord).toBe(id);
    }
    for (const id of ['<@80351110224678912>', 'grace#1234', '1234567890123456', '123456789012345678901']) {
      expect(() => parseConfig(reps(id))).toThrow(/owners\.reps\[0\]\.discord: must be a Discord user id/);
    }
  });
});
