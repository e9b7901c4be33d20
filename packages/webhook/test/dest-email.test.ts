import { type AddressObject, simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createEmail, type EmailDestinationInput } from '../src/destinations/email.js';
import { startServer } from '../src/node.js';
import { deliverOnce, deliveryContext, sampleLead } from './dest-helpers.js';
import { tempDir, until } from './helpers.js';
import { type Catcher, startCatcher } from './smtp-catcher.js';

const smtpError = (message: string, responseCode: number) =>
  Object.assign(new Error(message), { responseCode });

let catcher: Catcher | undefined;
afterEach(async () => {
  await catcher?.close();
  catcher = undefined;
});

/** Plain SMTP to the catcher on `port`, logging in as `user`. */
const plainSmtp = (port: number, user = 'leads@example.com', password = 'app-password') => ({
  host: '127.0.0.1',
  port,
  security: 'none' as const,
  user,
  password,
});

function email(port: number, over: Partial<EmailDestinationInput> = {}, allowHosts = ['127.0.0.1']) {
  return createEmail(
    {
      type: 'email',
      name: 'notify',
      to: ['sales@example.com', 'ops@example.com'],
      from: 'leads@example.com',
      smtp: plainSmtp(port),
      inboxUrl: 'https://leads.example.com/inbox',
      ...over,
    },
    { allowHosts },
  );
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address));

describe('Email destination', () => {
  it('sends one notification per lead: sender, recipients, Reply-To the lead, summary in text and HTML', async () => {
    catcher = await startCatcher();
    const result = await deliverOnce(email(catcher.port));
    expect(result).toMatchObject({ kind: 'ok' });
    expect((result as { detail: string }).detail).toMatch(/^250 /);

    expect(catcher.logins).toEqual([{ username: 'leads@example.com', password: 'app-password' }]);
    const [got] = catcher.received;
    expect(got).toMatchObject({ from: 'leads@example.com', rcpt: ['sales@example.com', 'ops@example.com'] });
    const mail = await simpleParser(got!.raw);
    expect(mail.from?.value).toEqual([{ name: 'Leadkit', address: 'leads@example.com' }]);
    expect(addresses(mail.replyTo)).toEqual(['ada@example.com']);
    expect(mail.subject).toBe('New lead: Ada Lovelace (Analytical Engines Ltd) via Paid Search');
    expect(mail.messageId).toBe('<lead_01J8Z3W6PQ4B7N2M5K8X.notify@example.com>');
    expect(mail.headers.get('x-leadkit-lead')).toBe('lead_01J8Z3W6PQ4B7N2M5K8X');
    expect(mail.text).toContain('Email: ada@example.com');
    expect(mail.text).toContain('Channel: Paid Search');
    expect(mail.text).toContain('Last touch: Paid Search · google / cpc · spring_launch');
    expect(mail.text).toContain('We would like a demo.');
    expect(mail.text).toContain(
      'Open in inbox: https://leads.example.com/inbox?lead=lead_01J8Z3W6PQ4B7N2M5K8X',
    );
    expect(mail.html).toContain('<th scope="row"');
    expect(mail.html).toContain('href="https://leads.example.com/inbox?lead=lead_01J8Z3W6PQ4B7N2M5K8X"');
  });

  it('escapes what the visitor typed: no markup in the HTML, no extra header or recipient', async () => {
    catcher = await startCatcher();
    const lead = sampleLead({
      fields: {
        name: '<img src=x onerror=alert(1)>',
        email: 'ada@example.com',
        company: 'Evil\r\nBcc: victim@example.org',
        message: '<script>alert(1)</script>\n<a href="https://evil.example">click</a>',
      },
    });
    expect(await email(catcher.port).deliver(lead, deliveryContext())).toMatchObject({ kind: 'ok' });
    const [got] = catcher.received;
    expect(got!.rcpt).toEqual(['sales@example.com', 'ops@example.com']);
    const mail = await simpleParser(got!.raw);
    expect(mail.bcc).toBeUndefined();
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).toBe(
      'New lead: <img src=x onerror=alert(1)> (Evil Bcc: victim@example.org) via Paid Search',
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<a href="https://evil.example"');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves Reply-To out when the lead has no valid address, or when replyToLead is false', async () => {
    catcher = await startCatcher();
    const noAddress = sampleLead({ fields: { name: 'Ada', email: 'not an address' } });
    await email(catcher.port).deliver(noAddress, deliveryContext());
    await deliverOnce(email(catcher.port, { replyToLead: false }));
    const mails = await Promise.all(catcher.received.map((r) => simpleParser(r.raw)));
    expect(mails.map((m) => m.replyTo)).toEqual([undefined, undefined]);
  });

  it('keeps the same Message-ID across a retry, so the notification threads with (or replaces) the first', async () => {
    let rcpts = 0;
    catcher = await startCatcher({
      onRcptTo(_address, _session, done) {
        rcpts++;
        // Greylisting: the first attempt is told to come back later.
        done(rcpts === 1 ? smtpError('Greylisted, try again later', 451) : undefined);
      },
    });
    const dest = email(catcher.port, { to: 'sales@example.com' });
    const first = await deliverOnce(dest);
    expect(first).toMatchObject({ kind: 'retry', status: 451 });
    expect((first as { reason: string }).reason).toContain('Greylisted');
    expect(await dest.deliver(sampleLead(), deliveryContext({ attempt: 2 }))).toMatchObject({ kind: 'ok' });
    expect(await dest.deliver(sampleLead(), deliveryContext({ attempt: 3 }))).toMatchObject({ kind: 'ok' });
    const ids = await Promise.all(catcher.received.map(async (r) => (await simpleParser(r.raw)).messageId));
    expect(ids).toEqual([
      '<lead_01J8Z3W6PQ4B7N2M5K8X.notify@example.com>',
      '<lead_01J8Z3W6PQ4B7N2M5K8X.notify@example.com>',
    ]);
  });

  it('stops on a permanent refusal (5xx) and on a refused login, saying what to fix', async () => {
    catcher = await startCatcher({
      onRcptTo(address, _session, done) {
        done(address.address === 'nobody@example.com' ? smtpError('5.1.1 User unknown', 550) : undefined);
      },
    });
    const unknown = await deliverOnce(email(catcher.port, { to: 'nobody@example.com' }));
    expect(unknown).toMatchObject({ kind: 'fail', status: 550 });
    expect((unknown as { reason: string }).reason).toContain('User unknown');

    const login = await deliverOnce(
      email(catcher.port, {
        smtp: plainSmtp(catcher.port, 'leads@example.com', 'wrong'),
      }),
    );
    expect(login).toMatchObject({ kind: 'fail', status: 535 });
    expect((login as { reason: string }).reason).toContain('check smtp.user and smtp.password');
    expect(catcher.received).toEqual([]);
  });

  it('retries a temporary login failure (454)', async () => {
    catcher = await startCatcher();
    const result = await deliverOnce(
      email(catcher.port, {
        smtp: plainSmtp(catcher.port, 'busy@example.com', 'x'),
      }),
    );
    expect(result).toMatchObject({ kind: 'retry', status: 454 });
    expect((result as { reason: string }).reason).toContain('Temporary authentication failure');
  });

  it('retries when the server cannot be reached', async () => {
    catcher = await startCatcher();
    const port = catcher.port;
    await catcher.close();
    catcher = undefined;
    const result = await deliverOnce(email(port));
    expect(result).toMatchObject({ kind: 'retry' });
    expect((result as { reason: string }).reason).toMatch(/could not reach 127\.0\.0\.1 .*ECONNREFUSED/);
  });

  it('never sends in plain text under "starttls": no STARTTLS, or a certificate it cannot verify, is a retry', async () => {
    catcher = await startCatcher(); // STARTTLS disabled
    const starttls = { host: '127.0.0.1', port: catcher.port, security: 'starttls' as const };
    const noTls = await deliverOnce(
      email(catcher.port, {
        smtp: { ...starttls, user: 'leads@example.com', password: 'app-password' },
      }),
    );
    expect(noTls).toMatchObject({ kind: 'retry' });
    expect((noTls as { reason: string }).reason).toContain('no TLS with 127.0.0.1');
    expect(catcher.logins).toEqual([]);
    await catcher.close();

    // smtp-server offers STARTTLS with its built-in self-signed certificate: verification must refuse it.
    catcher = await startCatcher({ disabledCommands: [] });
    const untrusted = await deliverOnce(
      email(catcher.port, {
        smtp: { ...starttls, port: catcher.port, user: 'leads@example.com', password: 'app-password' },
      }),
    );
    expect(untrusted).toMatchObject({ kind: 'retry' });
    expect((untrusted as { reason: string }).reason).toMatch(/certificate/i);
    expect(catcher.logins).toEqual([]);
    expect(catcher.received).toEqual([]);
  });

  it('refuses SMTP hosts on private addresses unless security.allowHosts lists them', async () => {
    for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '169.254.169.254']) {
      const result = await deliverOnce(
        createEmail(
          {
            type: 'email',
            name: 'notify',
            to: 'sales@example.com',
            from: 'leads@example.com',
            smtp: { host, port: 587 },
          },
          { allowHosts: [] },
        ),
      );
      expect(result).toMatchObject({ kind: 'fail' });
      expect((result as { reason: string }).reason).toContain('security.allowHosts');
    }
  });

  it('config: plain text only to allowed hosts, user and password together, errors naming the key', () => {
    const base = { type: 'email', name: 'notify', to: 'sales@example.com', from: 'leads@example.com' };
    expect(() =>
      parseConfig({ destinations: [{ ...base, smtp: { host: 'smtp.example.com', security: 'none' } }] }),
    ).toThrow(/destinations\[0\]\.smtp\.security: "none" sends the login and every lead in plain text/);
    expect(() =>
      parseConfig({ destinations: [{ ...base, smtp: { host: 'smtp.example.com', user: 'me' } }] }),
    ).toThrow(/destinations\[0\]\.smtp\.password: give both smtp\.user and smtp\.password/);
    expect(() =>
      parseConfig({ destinations: [{ ...base, from: 'Leadkit', smtp: { host: 'smtp.example.com' } }] }),
    ).toThrow(/destinations\[0\]\.from/);
    const ok = parseConfig({
      security: { allowHosts: ['127.0.0.1'] },
      destinations: [{ ...base, smtp: { host: '127.0.0.1', port: 1025, security: 'none' } }],
    });
    expect(ok.destinations[0]).toMatchObject({ type: 'email', fromName: 'Leadkit', replyToLead: true });
  });

  it('end to end: a lead posted to the server arrives as an email through the worker', async () => {
    catcher = await startCatcher();
    const tmp = tempDir();
    const server = await startServer({
      config: {
        security: { allowHosts: ['127.0.0.1'] },
        destinations: [
          {
            type: 'email',
            name: 'notify',
            to: 'sales@example.com',
            from: 'leads@example.com',
            smtp: { host: '127.0.0.1', port: catcher.port, security: 'none' },
          },
        ],
      },
      port: 0,
      dbPath: `${tmp.dir}/leadkit.db`,
      log: () => {},
      handleSignals: false,
    });
    try {
      const response = await fetch(`${server.url}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'lead_email_end_to_end',
          formId: 'contact',
          fields: { email: 'grace@example.com', name: 'Grace Hopper' },
        }),
      });
      expect(response.status).toBe(202);
      await until(() => catcher!.received.length === 1, 'the notification email');
      const mail = await simpleParser(catcher.received[0]!.raw);
      expect(mail.subject).toBe('New lead: Grace Hopper');
      expect(addresses(mail.replyTo)).toEqual(['grace@example.com']);
      await until(async () => {
        const [row] = await server.store.listDeliveries({ leadId: 'lead_email_end_to_end' });
        return row?.status === 'delivered';
      }, 'the delivery row marked delivered');
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });
});
