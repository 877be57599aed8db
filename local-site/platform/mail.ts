/**
 * Email on the local site, as on the platform: the app's `sendEmail` (@forge/api) posts a multipart request to
 * the platform's `emails` seam; the platform relays it over SMTP to the host and port the app names. The relay
 * is nodemailer (the SendEmailOptions of @forge/api are nodemailer's message fields, and its errors carry the
 * code/responseCode/command that SendEmailError reads); the catcher is an `smtp-server` whose messages are parsed
 * by `mailparser` and land in the site's inbox (`/__site/inbox`). No SMTP or MIME is written by hand here.
 */
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import { createTransport } from 'nodemailer';

export interface CaughtMessage {
  id: string;
  at: string;
  /** Envelope sender and recipients (what SMTP was told), and the headers' view. */
  envelopeFrom: string;
  to: string[];
  headerTo: string;
  from: string;
  cc: string;
  /** A Bcc header, if a client wrote one (a relay must not: Bcc recipients are envelope recipients only). */
  bcc: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

export type Address = string | { name?: string; address: string };

export interface OutgoingMail {
  from: Address;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  replyTo?: Address[];
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
}

// ---------------------------------------------------------------------------------------------------------
// The catcher: an SMTP server (smtp-server) that accepts everything but what a test asks it to refuse

export interface SmtpCredentials { user: string; pass: string }

export interface SmtpCatcherOptions {
  /** When set, the catcher is a server that requires a login (RFC 4954): it advertises AUTH PLAIN LOGIN,
   * answers wrong credentials with 535 and MAIL FROM before a login with 530. Unset: an open relay, no AUTH. */
  auth?: SmtpCredentials;
  /** The largest message it takes, advertised as SIZE (RFC 1870); a larger one is answered 552 and not delivered. */
  maxMessageBytes?: number;
}

/** An smtp-server handler error with the reply code it answers with. */
const refusal = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** "Name <address>" for each mailbox (group members listed in place of the group), as the inbox shows them. */
function addressText(header: AddressObject | AddressObject[] | undefined): string {
  const mailbox = (a: EmailAddress): string[] => (a.group ? a.group.flatMap(mailbox) : [a.name ? `${a.name} <${a.address ?? ''}>` : (a.address ?? '')]);
  return [header ?? []].flat().flatMap((h) => h.value.flatMap(mailbox)).join(', ');
}

export class SmtpCatcher {
  private server: SMTPServer | undefined;
  /** Recipients it answers 550 for (a test's bounced address). */
  readonly refuse = new Set<string>();
  /** Answer the next N transactions with 451 (a transient server failure). */
  failNext = 0;
  /** The login it requires (see SmtpCatcherOptions). */
  readonly auth: SmtpCredentials | undefined;
  /** Logins tried, successful or not (user names only), for tests and the site's inbox page. */
  readonly logins: { user: string; ok: boolean; mechanism: 'PLAIN' | 'LOGIN' }[] = [];
  private readonly maxMessageBytes: number;

  constructor(
    private readonly deliver: (message: Omit<CaughtMessage, 'id' | 'at'>) => void,
    options: SmtpCatcherOptions = {},
  ) {
    this.auth = options.auth;
    this.maxMessageBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
  }

  get address(): { host: string; port: number } | undefined {
    const a = this.server?.server.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
  }

  listen(port: number, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    const server = new SMTPServer({
      name: 'local-site',
      banner: 'local-site ESMTP catcher ready',
      logger: false,
      size: this.maxMessageBytes,
      // Loopback only, no TLS (and so no STARTTLS with smtp-server's published test key). A catcher without a
      // login neither advertises nor accepts AUTH; with one, AUTH is required before MAIL (smtp-server answers 530).
      disabledCommands: this.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => this.checkLogin(auth, callback),
      onMailFrom: (_address, _session, callback) => {
        if (this.failNext <= 0) return callback();
        this.failNext -= 1;
        callback(refusal(451, 'Local site: temporary failure (injected)'));
      },
      onRcptTo: (address, _session, callback) => callback(this.refuse.has(address.address.toLowerCase()) ? refusal(550, `<${address.address}>: recipient refused (local site)`) : undefined),
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(
          (reply) => callback(null, reply),
          (e: Error) => {
            stream.resume(); // read the rest of a message the parser gave up on, so the reply can go out
            callback(e);
          },
        );
      },
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', () => undefined); // a client's broken connection is no reason to stop the site
        server.server.unref();
        this.server = server;
        resolve(this.address!);
      });
    });
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
  }

  /** RFC 4954 via smtp-server (challenges, cancel, decoding); the credentials are checked here. */
  private checkLogin(auth: SMTPServerAuthentication, callback: (err: Error | null | undefined, response?: { user: string }) => void): void {
    const mechanism = auth.method === 'LOGIN' ? 'LOGIN' : 'PLAIN';
    // PLAIN: the authentication identity is the authcid (RFC 4616); smtp-server would fall back to the authzid
    // when the authcid is empty, which this catcher does not accept.
    const user = mechanism === 'PLAIN' ? (auth.authcid ?? '') : (auth.username ?? '');
    const required = this.auth;
    const ok = Boolean(required) && user === required!.user && auth.password === required!.pass;
    this.logins.push({ user, ok, mechanism });
    if (ok) callback(null, { user });
    else callback(refusal(535, 'Authentication credentials invalid'));
  }

  /** One message: parsed by mailparser, delivered to the inbox unless it is larger than SIZE allows. */
  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const parsed = await simpleParser(stream, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
    if (stream.sizeExceeded) throw refusal(552, `Message exceeds the fixed maximum message size ${this.maxMessageBytes}`);
    const { mailFrom, rcptTo } = session.envelope;
    this.deliver({
      envelopeFrom: mailFrom ? mailFrom.address : '',
      to: rcptTo.map((r) => r.address),
      headerTo: addressText(parsed.to),
      from: addressText(parsed.from),
      cc: addressText(parsed.cc),
      bcc: addressText(parsed.bcc),
      subject: parsed.subject ?? '',
      messageId: parsed.messageId ?? '',
      text: parsed.text ?? '',
      html: parsed.html || '',
    });
    return 'OK: queued in the local inbox';
  }
}

// ---------------------------------------------------------------------------------------------------------
// The relay: the platform's SMTP client (nodemailer)

/** What nodemailer's SMTP errors carry (and SendEmailError reads from the seam's answer). */
export interface SmtpError extends Error { code?: string; responseCode?: number; command?: string }

export interface RelayResult { messageId: string; accepted: string[]; rejected: string[]; response: string }

/** Sends one message over SMTP with nodemailer: it logs in when given a login and the server offers AUTH. */
export async function smtpSend(options: { host: string; port: number; auth?: SmtpCredentials; authMethod?: 'PLAIN' | 'LOGIN'; timeoutMs?: number }, mail: OutgoingMail, now: Date): Promise<RelayResult> {
  const timeout = options.timeoutMs ?? 10_000;
  const transport = createTransport({
    host: options.host,
    port: options.port,
    secure: false,
    name: 'local-site.forge',
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    ...(options.authMethod ? { authMethod: options.authMethod } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    const info = await transport.sendMail({ ...mail, date: now });
    const list = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : (x as { address: string }).address));
    return { messageId: info.messageId, accepted: list(info.accepted), rejected: list(info.rejected), response: info.response };
  } finally {
    transport.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The platform seam: `__forge_fetch__({type:'emails'}, '/emails', {method:'POST', headers, body})`

export interface SeamAnswer { status: number; headers?: Record<string, string>; body: unknown }

const failure = (status: number, details: { code: string; responseCode?: number; command?: string; message: string }): SeamAnswer => ({
  status,
  headers: { 'forge-proxy-error': 'SEND_EMAIL_ERR' },
  body: details,
});

/** What the platform does with a sendEmail request: read the multipart body, check it, relay it over SMTP. */
export async function handleEmailSeam(init: { method?: string; headers?: unknown; body?: unknown }, now: Date): Promise<SeamAnswer> {
  if ((init.method ?? 'GET').toUpperCase() !== 'POST') return failure(405, { code: 'EMESSAGE', message: 'The emails endpoint takes POST' });
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  const type = headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type)) return failure(400, { code: 'EMESSAGE', message: 'Expected multipart/form-data' });
  let metadata: Record<string, unknown>;
  try {
    const form = await new Response(init.body as ConstructorParameters<typeof Response>[0], { headers: { 'content-type': type } }).formData();
    metadata = JSON.parse(String(form.get('metadata') ?? '')) as Record<string, unknown>;
  } catch {
    return failure(400, { code: 'EMESSAGE', message: 'The request has no readable metadata part' });
  }
  const host = metadata.host;
  const port = metadata.port;
  if (typeof host !== 'string' || !host) return failure(400, { code: 'EMESSAGE', message: 'host is required' });
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return failure(400, { code: 'EMESSAGE', message: 'port must be 1–65535' });
  const list = (v: unknown): Address[] | undefined => (Array.isArray(v) ? (v as Address[]) : undefined);
  const mail: OutgoingMail = {
    from: metadata.from as Address,
    to: list(metadata.to),
    cc: list(metadata.cc),
    bcc: list(metadata.bcc),
    replyTo: list(metadata.replyTo),
    subject: typeof metadata.subject === 'string' ? metadata.subject : undefined,
    text: typeof metadata.text === 'string' ? metadata.text : undefined,
    html: typeof metadata.html === 'string' ? metadata.html : undefined,
    messageId: typeof metadata.messageId === 'string' ? metadata.messageId : undefined,
  };
  const valid = (a: unknown) => (typeof a === 'string' && a.includes('@')) || (typeof a === 'object' && a !== null && typeof (a as { address?: unknown }).address === 'string' && (a as { address: string }).address.includes('@'));
  if (!valid(mail.from)) return failure(400, { code: 'EMESSAGE', message: 'from must be an email address' });
  const all = [...(mail.to ?? []), ...(mail.cc ?? []), ...(mail.bcc ?? [])];
  if (!all.length) return failure(400, { code: 'EENVELOPE', command: 'API', message: 'No recipients defined' });
  if (!all.every(valid)) return failure(400, { code: 'EENVELOPE', command: 'API', message: 'Every recipient must be an email address' });
  const auth = metadata.auth as { user?: unknown; pass?: unknown } | undefined | null;
  if (auth != null && (typeof auth !== 'object' || typeof auth.user !== 'string' || typeof auth.pass !== 'string')) {
    return failure(400, { code: 'EAUTH', command: 'API', message: 'auth must have a user and a pass (strings)' });
  }
  try {
    const out = await smtpSend({ host, port, ...(auth ? { auth: { user: auth.user as string, pass: auth.pass as string } } : {}) }, mail, now);
    return { status: 200, body: out };
  } catch (e) {
    const err = e as SmtpError;
    return failure(502, { code: err.code ?? 'EPROTOCOL', ...(err.responseCode ? { responseCode: err.responseCode } : {}), command: err.command ?? 'CONN', message: err.message });
  }
}
