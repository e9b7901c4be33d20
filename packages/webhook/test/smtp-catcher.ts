/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) for email tests: it keeps every message it
 * accepts, records logins, and lets a test answer any command with an SMTP error.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  from: string | undefined;
  rcpt: string[];
  raw: string;
  user: string | undefined;
}

export interface Catcher {
  port: number;
  received: Received[];
  logins: { username: string | undefined; password: string | undefined }[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message it accepts. */
export async function startCatcher(options: Partial<SMTPServerOptions> = {}): Promise<Catcher> {
  const received: Received[] = [];
  const logins: Catcher['logins'] = [];
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, done) {
      logins.push({ username: auth.username, password: auth.password ?? undefined });
      if (auth.username === 'leads@example.com' && auth.password === 'app-password') {
        done(null, { user: auth.username });
      } else if (auth.username === 'busy@example.com') {
        done(Object.assign(new Error('Temporary authentication failure'), { responseCode: 454 }));
      } else {
        done(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      }
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcpt: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
        });
        done();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, received, logins, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
