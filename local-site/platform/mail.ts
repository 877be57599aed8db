/**
 * Email on the local site, as on the platform: the app's `sendEmail` (@forge/api) posts a multipart request to
 * the platform's `emails` seam; the platform relays it over SMTP to the host and port the app names. Here the
 * relay is a small SMTP client, and the site runs a real SMTP catcher (a `net` server speaking enough SMTP for
 * any client) whose messages land in the site's inbox (`/__site/inbox`).
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';

export interface CaughtMessage {
  id: string;
  at: string;
  /** Envelope sender and recipients (what SMTP was told), and the headers' view. */
  envelopeFrom: string;
  to: string[];
  headerTo: string;
  from: string;
  cc: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

// ---------------------------------------------------------------------------------------------------------
// MIME: just what the relay writes and the catcher reads (multipart/alternative, base64 parts)

const b64lines = (text: string) => (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? ['']).join('\r\n');
const encodeHeader = (v: string) => (/^[\x20-\x7e]*$/.test(v) ? v : `=?UTF-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`);
const decodeHeader = (v: string) => v.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/gi, (_, b: string) => Buffer.from(b, 'base64').toString('utf8'));

export type Address = string | { name?: string; address: string };
const addressOf = (a: Address) => (typeof a === 'string' ? a : a.address);
const formatAddress = (a: Address) => (typeof a === 'string' || !a.name ? addressOf(a) : `${encodeHeader(a.name.replace(/["\\]/g, ''))} <${a.address}>`);

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

export function buildMessage(mail: OutgoingMail, now: Date): { raw: string; messageId: string } {
  const messageId = mail.messageId ?? `<${randomUUID()}@local-site>`;
  const boundary = `----local-site-${randomUUID()}`;
  const headers = [
    `From: ${formatAddress(mail.from)}`,
    ...(mail.to?.length ? [`To: ${mail.to.map(formatAddress).join(', ')}`] : []),
    ...(mail.cc?.length ? [`Cc: ${mail.cc.map(formatAddress).join(', ')}`] : []),
    ...(mail.replyTo?.length ? [`Reply-To: ${mail.replyTo.map(formatAddress).join(', ')}`] : []),
    `Subject: ${encodeHeader(mail.subject ?? '')}`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) => [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', b64lines(body)].join('\r\n');
  const parts = [...(mail.text !== undefined ? [part('text/plain', mail.text)] : []), ...(mail.html !== undefined ? [part('text/html', mail.html)] : [])];
  return { raw: `${headers.join('\r\n')}\r\n\r\n${parts.join('\r\n')}\r\n--${boundary}--\r\n`, messageId };
}

function splitHead(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = at >= 0 ? raw.slice(0, at) : raw;
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const c = line.indexOf(':');
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return { headers, body: at >= 0 ? raw.slice(at + 4) : '' };
}

function decodePart(headers: Map<string, string>, body: string): string {
  return /base64/i.test(headers.get('content-transfer-encoding') ?? '') ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
}

export function parseMessage(raw: string): Pick<CaughtMessage, 'from' | 'headerTo' | 'cc' | 'subject' | 'messageId' | 'text' | 'html'> {
  const { headers, body } = splitHead(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitHead(chunk.replace(/^\r\n/, ''));
      const content = decodePart(part.headers, part.body.replace(/\r\n$/, ''));
      if (/text\/html/i.test(part.headers.get('content-type') ?? '')) html = content;
      else text = content;
    }
  } else if (/text\/html/i.test(type)) html = decodePart(headers, body);
  else text = decodePart(headers, body);
  return {
    from: decodeHeader(headers.get('from') ?? ''),
    headerTo: decodeHeader(headers.get('to') ?? ''),
    cc: decodeHeader(headers.get('cc') ?? ''),
    subject: decodeHeader(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text,
    html,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The catcher: an SMTP server that accepts everything (but what a test asks it to refuse)

export interface SmtpCredentials { user: string; pass: string }

export interface SmtpCatcherOptions {
  /** When set, the catcher is a server that requires a login (RFC 4954): it advertises AUTH PLAIN LOGIN,
   * answers wrong credentials with 535 and MAIL FROM before a login with 530. Unset: an open relay, no AUTH. */
  auth?: SmtpCredentials;
}

const b64decode = (s: string): string | undefined => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64').toString('utf8') : undefined);
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export class SmtpCatcher {
  private server: net.Server | undefined;
  /** Recipients it answers 550 for (a test's bounced address). */
  readonly refuse = new Set<string>();
  /** Answer the next N transactions with 451 (a transient server failure). */
  failNext = 0;
  /** The login it requires (see SmtpCatcherOptions); may be changed while it runs, for new sessions. */
  auth: SmtpCredentials | undefined;
  /** Logins tried, successful or not (user names only), for tests and the site's inbox page. */
  readonly logins: { user: string; ok: boolean; mechanism: 'PLAIN' | 'LOGIN' }[] = [];

  constructor(
    private readonly deliver: (message: Omit<CaughtMessage, 'id' | 'at'>) => void,
    options: SmtpCatcherOptions = {},
  ) {
    this.auth = options.auth;
  }

  get address(): { host: string; port: number } | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
  }

  listen(port: number, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.session(socket));
      server.once('error', reject);
      server.listen(port, host, () => {
        server.unref();
        this.server = server;
        resolve(this.address!);
      });
    });
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
  }

  private session(socket: net.Socket): void {
    socket.setEncoding('utf8');
    const required = this.auth;
    let buffer = '';
    let from: string | null = null;
    let rcpts: string[] = [];
    let inData = false;
    let greeted = false;
    let authenticated = false;
    /** An AUTH exchange waiting for the client's next line (a 334 challenge is out). */
    let pending: { mechanism: 'PLAIN' } | { mechanism: 'LOGIN'; user?: string } | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const reset = () => {
      from = null;
      rcpts = [];
    };
    const check = (mechanism: 'PLAIN' | 'LOGIN', user: string, pass: string) => {
      const ok = Boolean(required) && user === required!.user && pass === required!.pass;
      this.logins.push({ user, ok, mechanism });
      if (ok) {
        authenticated = true;
        reply('235 2.7.0 Authentication successful');
      } else reply('535 5.7.8 Authentication credentials invalid');
    };
    const plain = (response: string) => {
      const decoded = b64decode(response);
      const parts = decoded?.split('\0');
      if (!parts || parts.length !== 3) return reply('501 5.5.2 Cannot decode the AUTH PLAIN response');
      check('PLAIN', parts[1], parts[2]);
    };
    /** One line of an AUTH exchange in progress. */
    const continueAuth = (line: string) => {
      const step = pending!;
      pending = null;
      if (line === '*') return reply('501 5.0.0 Authentication cancelled');
      if (step.mechanism === 'PLAIN') return plain(line);
      const decoded = b64decode(line);
      if (decoded === undefined) return reply('501 5.5.2 Cannot decode the AUTH LOGIN response');
      if (step.user === undefined) {
        pending = { mechanism: 'LOGIN', user: decoded };
        return reply(`334 ${b64('Password:')}`);
      }
      check('LOGIN', step.user, decoded);
    };
    const startAuth = (args: string[]) => {
      const mechanism = (args[0] ?? '').toUpperCase();
      const initial = args[1];
      if (!required) return reply('503 5.5.1 Authentication not enabled');
      if (!greeted) return reply('503 5.5.1 Send EHLO first');
      if (authenticated) return reply('503 5.5.1 Already authenticated');
      if (from !== null) return reply('503 5.5.1 AUTH not permitted during a mail transaction');
      if (mechanism === 'PLAIN') {
        if (initial === undefined) {
          pending = { mechanism: 'PLAIN' };
          return reply('334 ');
        }
        return plain(initial);
      }
      if (mechanism === 'LOGIN') {
        if (initial === undefined) {
          pending = { mechanism: 'LOGIN' };
          return reply(`334 ${b64('Username:')}`);
        }
        const user = b64decode(initial);
        if (user === undefined) return reply('501 5.5.2 Cannot decode the AUTH LOGIN response');
        pending = { mechanism: 'LOGIN', user };
        return reply(`334 ${b64('Password:')}`);
      }
      reply('504 5.5.4 Unrecognized authentication type (use PLAIN or LOGIN)');
    };
    reply('220 local-site ESMTP catcher ready');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          const endAtStart = buffer.startsWith('.\r\n') ? 0 : -1;
          if (end < 0 && endAtStart < 0) return;
          const rawBody = endAtStart === 0 ? '' : buffer.slice(0, end);
          buffer = endAtStart === 0 ? buffer.slice(3) : buffer.slice(end + 5);
          inData = false;
          const raw = rawBody.replace(/^\.\./gm, '.');
          this.deliver({ envelopeFrom: from ?? '', to: rcpts, ...parseMessage(raw) });
          reset();
          reply('250 2.0.0 OK: queued in the local inbox');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (pending) {
          continueAuth(line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        const arg = /<([^>]*)>/.exec(line)?.[1] ?? '';
        if (verb === 'EHLO') {
          greeted = true;
          socket.write(`250-local-site greets you\r\n250-8BITMIME\r\n${required ? '250-AUTH PLAIN LOGIN\r\n' : ''}250 SIZE 10485760\r\n`);
        } else if (verb === 'HELO') {
          greeted = true;
          reply('250 local-site');
        } else if (verb === 'AUTH') startAuth(line.slice(4).trim().split(/\s+/).filter(Boolean));
        else if (verb === 'MAIL') {
          if (required && !authenticated) reply('530 5.7.0 Authentication required');
          else if (this.failNext > 0) {
            this.failNext -= 1;
            reply('451 4.3.0 Local site: temporary failure (injected)');
          } else {
            reset();
            from = arg;
            reply('250 2.1.0 OK');
          }
        } else if (verb === 'RCPT') {
          if (from === null) reply('503 5.5.1 MAIL first');
          else if (this.refuse.has(arg.toLowerCase())) reply(`550 5.1.1 <${arg}>: recipient refused (local site)`);
          else {
            rcpts.push(arg);
            reply('250 2.1.5 OK');
          }
        } else if (verb === 'DATA') {
          if (!rcpts.length) reply('554 5.5.1 No valid recipients');
          else {
            inData = true;
            reply('354 End data with <CR><LF>.<CR><LF>');
          }
        } else if (verb === 'RSET') {
          reset();
          reply('250 2.0.0 OK');
        } else if (verb === 'NOOP') reply('250 2.0.0 OK');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        } else reply('502 5.5.2 Command not implemented');
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The relay: the platform's SMTP client

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly command: string,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

export interface RelayResult { messageId: string; accepted: string[]; rejected: string[]; response: string }

/** Sends one message over SMTP (no TLS: the local site's catcher is on the loopback interface). */
export function smtpSend(options: { host: string; port: number; auth?: SmtpCredentials; authMethod?: 'PLAIN' | 'LOGIN'; timeoutMs?: number }, mail: OutgoingMail, now: Date): Promise<RelayResult> {
  const { raw, messageId } = buildMessage(mail, now);
  const recipients = [...(mail.to ?? []), ...(mail.cc ?? []), ...(mail.bcc ?? [])].map(addressOf);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    socket.setEncoding('utf8');
    socket.setTimeout(options.timeoutMs ?? 10_000);
    let buffer = '';
    let settled = false;
    type Reply = { code: number; text: string };
    const waiting: ((reply: Reply) => void)[] = [];
    const arrived: Reply[] = [];
    const fail = (e: SmtpError) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(e);
    };
    socket.on('timeout', () => fail(new SmtpError('The SMTP server did not answer in time', 'ETIMEDOUT', 'CONN')));
    socket.on('error', (e) => fail(new SmtpError(`Cannot reach the SMTP server ${options.host}:${options.port}: ${e.message}`, 'ECONNECTION', 'CONN')));
    socket.on('close', () => fail(new SmtpError('The SMTP server closed the connection', 'ECONNECTION', 'CONN')));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      // A reply ends with a line "NNN text" (a space after the code); "NNN-text" lines continue it.
      for (;;) {
        const m = /^(?:\d{3}-[^\r\n]*\r\n)*(\d{3}) ([^\r\n]*)\r\n/.exec(buffer);
        if (!m) return;
        buffer = buffer.slice(m[0].length);
        const reply = { code: Number(m[1]), text: m[0].trim() };
        const waiter = waiting.shift();
        if (waiter) waiter(reply);
        else arrived.push(reply);
      }
    });
    const next = () => new Promise<Reply>((r) => (arrived.length ? r(arrived.shift()!) : waiting.push(r)));
    const command = async (line: string, name: string, ok: (code: number) => boolean) => {
      socket.write(`${line}\r\n`);
      const reply = await next();
      if (!ok(reply.code)) throw new SmtpError(`SMTP ${name} refused: ${reply.text}`, name === 'RCPT TO' ? 'EENVELOPE' : 'EPROTOCOL', name, reply.code);
      return reply;
    };
    /** One step of the AUTH exchange; anything but the expected reply is an EAUTH error (nodemailer's code). */
    const authCommand = async (line: string, name: string, expected: number) => {
      socket.write(`${line}\r\n`);
      const reply = await next();
      if (reply.code !== expected) throw new SmtpError(`SMTP ${name} refused: ${reply.text}`, 'EAUTH', name, reply.code);
    };
    void (async () => {
      const greeting = await next();
      if (greeting.code !== 220) throw new SmtpError(`SMTP greeting refused: ${greeting.text}`, 'EPROTOCOL', 'CONN', greeting.code);
      const ehlo = await command('EHLO local-site.forge', 'EHLO', (c) => c === 250);
      // As nodemailer does: log in when given a login and the server offers AUTH, with the first mechanism it
      // lists that the client speaks (or the one asked for); a server that offers no AUTH gets none.
      const offered = /^250[- ]AUTH[ =](.*)$/im.exec(ehlo.text)?.[1]?.trim().toUpperCase().split(/\s+/) ?? [];
      if (options.auth && offered.length) {
        const { user, pass } = options.auth;
        const mechanism = options.authMethod ?? offered.find((m): m is 'PLAIN' | 'LOGIN' => m === 'PLAIN' || m === 'LOGIN');
        if (!mechanism || !offered.includes(mechanism)) throw new SmtpError(`The SMTP server offers no authentication mechanism the relay speaks (it offers ${offered.join(', ')})`, 'EAUTH', 'API');
        if (mechanism === 'PLAIN') {
          await authCommand(`AUTH PLAIN ${b64(`\0${user}\0${pass}`)}`, 'AUTH PLAIN', 235);
        } else {
          await authCommand('AUTH LOGIN', 'AUTH LOGIN', 334);
          await authCommand(b64(user), 'AUTH LOGIN', 334);
          await authCommand(b64(pass), 'AUTH LOGIN', 235);
        }
      }
      await command(`MAIL FROM:<${addressOf(mail.from)}>`, 'MAIL FROM', (c) => c === 250);
      const accepted: string[] = [];
      const rejected: string[] = [];
      for (const r of recipients) {
        socket.write(`RCPT TO:<${r}>\r\n`);
        const reply = await next();
        (reply.code === 250 || reply.code === 251 ? accepted : rejected).push(r);
      }
      if (!accepted.length) throw new SmtpError('Every recipient was refused', 'EENVELOPE', 'RCPT TO', 550);
      await command('DATA', 'DATA', (c) => c === 354);
      const body = raw.replace(/^\./gm, '..');
      const done = await command(`${body.endsWith('\r\n') ? body.slice(0, -2) : body}\r\n.`, 'DATA', (c) => c === 250);
      socket.write('QUIT\r\n');
      socket.end();
      settled = true;
      resolve({ messageId, accepted, rejected, response: done.text });
    })().catch((e: unknown) => fail(e instanceof SmtpError ? e : new SmtpError(String((e as Error).message), 'EPROTOCOL', 'DATA')));
  });
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
