/**
 * The site's SMTP catcher (smtp-server, messages parsed by mailparser) and the platform's relay (nodemailer)
 * talking real SMTP over the loopback interface. The raw-SMTP checks below speak to the catcher by hand.
 */
import net from 'node:net';
import { simpleParser } from 'mailparser';
import { handleEmailSeam, SmtpCatcher, smtpSend, type CaughtMessage } from './mail';

let caught: Omit<CaughtMessage, 'id' | 'at'>[] = [];
const catcher = new SmtpCatcher((m) => caught.push(m));
let port = 0;

beforeAll(async () => {
  port = (await catcher.listen(0)).port;
});
afterAll(() => catcher.close());
beforeEach(() => {
  caught = [];
  catcher.refuse.clear();
  catcher.failNext = 0;
});

it('relays a multipart message that arrives intact, dot-stuffing and all', async () => {
  const out = await smtpSend({ host: '127.0.0.1', port }, { from: { name: 'PFT', address: 'pft@example.com' }, to: ['eng@example.com'], cc: ['sre@example.com'], subject: 'Postmortem \u2014 checkout', text: 'line one\n.\nline three', html: '<p>caf\u00e9</p>', messageId: '<m1@x>' }, new Date());
  expect(out).toMatchObject({ messageId: '<m1@x>', accepted: ['eng@example.com', 'sre@example.com'], rejected: [] });
  expect(caught).toHaveLength(1);
  expect(caught[0]).toMatchObject({ envelopeFrom: 'pft@example.com', to: ['eng@example.com', 'sre@example.com'], from: 'PFT <pft@example.com>', headerTo: 'eng@example.com', cc: 'sre@example.com', subject: 'Postmortem \u2014 checkout', messageId: '<m1@x>', text: 'line one\n.\nline three', html: '<p>caf\u00e9</p>' });
});

it('non-ASCII display names and subjects survive the trip; Bcc recipients are envelope recipients only', async () => {
  const mail = {
    from: { name: 'Zo\u00eb \u00dcnal \u2014 Postmortems', address: 'pft@example.com' },
    to: [{ name: '\u7530\u4e2d \u592a\u90ce', address: 'tanaka@example.com' }, 'eng@example.com'],
    bcc: [{ name: 'Hidden', address: 'audit@example.com' }],
    subject: '\u00c9chec du paiement \u2014 \u652f\u6255\u3044 \ud83d\udd25 '.repeat(4).trim(),
    text: 'caf\u00e9 \u2014 \u00fcber',
  };
  const out = await smtpSend({ host: '127.0.0.1', port }, mail, new Date());
  expect(out).toMatchObject({ accepted: ['tanaka@example.com', 'eng@example.com', 'audit@example.com'], rejected: [] });
  expect(caught).toEqual([
    {
      envelopeFrom: 'pft@example.com',
      to: ['tanaka@example.com', 'eng@example.com', 'audit@example.com'],
      from: 'Zo\u00eb \u00dcnal \u2014 Postmortems <pft@example.com>',
      headerTo: '\u7530\u4e2d \u592a\u90ce <tanaka@example.com>, eng@example.com',
      cc: '',
      bcc: '',
      subject: mail.subject,
      messageId: out.messageId,
      text: 'caf\u00e9 \u2014 \u00fcber\n', // a single-part body keeps the line break that ends the SMTP data
      html: '',
    },
  ]);
});

it('an html-only message is html with no invented text; the seam answers with what the relay reports', async () => {
  const out = await handleEmailSeam(await seamRequest({ host: '127.0.0.1', port, from: 'a@example.com', to: ['eng@example.com'], subject: 's', html: '<h1>Postmortem</h1><p>Done</p>' }), new Date());
  expect(out).toMatchObject({ status: 200, body: { accepted: ['eng@example.com'], rejected: [], messageId: caught[0]?.messageId, response: expect.stringMatching(/^250 /) } });
  expect(caught).toHaveLength(1);
  expect(caught[0]).toMatchObject({ text: '', html: expect.stringMatching(/^<h1>Postmortem<\/h1><p>Done<\/p>\s*$/) });
});

it('the relay writes MIME that a library reads back: headers encoded, parts typed, no Bcc header, no bare LF', async () => {
  // A catcher of raw bytes, so the message is judged by mailparser alone (not by the site's catcher).
  const raw: Buffer[] = [];
  const rawCatcher = net.createServer((socket) => {
    let data = false;
    let buffer = '';
    socket.setEncoding('latin1');
    socket.write('220 raw\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (data) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          raw.push(Buffer.from(buffer.slice(0, end + 2), 'latin1'));
          buffer = buffer.slice(end + 5);
          data = false;
          socket.write('250 ok\r\n');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const verb = buffer.slice(0, 4).toUpperCase();
        buffer = buffer.slice(nl + 2);
        if (verb === 'DATA') {
          data = true;
          socket.write('354 go\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write(verb === 'EHLO' ? '250-raw\r\n250 8BITMIME\r\n' : '250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => rawCatcher.listen(0, '127.0.0.1', r));
  try {
    const rawPort = (rawCatcher.address() as net.AddressInfo).port;
    await smtpSend({ host: '127.0.0.1', port: rawPort }, { from: { name: '\u00c5sa', address: 'pft@example.com' }, to: ['eng@example.com'], bcc: ['audit@example.com'], subject: 'R\u00e9sum\u00e9', text: 'caf\u00e9\nline two', html: '<p>caf\u00e9</p>', messageId: '<m2@x>' }, new Date('2026-03-04T05:06:07Z'));
    expect(raw).toHaveLength(1);
    const bytes = raw[0]!.toString('latin1');
    const head = bytes.slice(0, bytes.indexOf('\r\n\r\n'));
    expect(head).not.toMatch(/^bcc:/im);
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/); // header values RFC 2047-encoded, no raw UTF-8
    expect(bytes.replace(/\r\n/g, '')).not.toContain('\n'); // every line ends in CRLF
    const parsed = await simpleParser(raw[0]!);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.from?.value).toEqual([{ name: '\u00c5sa', address: 'pft@example.com' }]);
    expect(parsed.subject).toBe('R\u00e9sum\u00e9');
    expect(parsed.messageId).toBe('<m2@x>');
    expect(parsed.date?.toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.text).toBe('caf\u00e9\nline two');
    expect(parsed.html).toBe('<p>caf\u00e9</p>');
  } finally {
    rawCatcher.close();
  }
});

it('reports refused recipients, and fails when none is accepted or the server is down', async () => {
  catcher.refuse.add('gone@example.com');
  const out = await smtpSend({ host: '127.0.0.1', port }, { from: 'a@example.com', to: ['gone@example.com', 'eng@example.com'], text: 'x' }, new Date());
  expect(out).toMatchObject({ accepted: ['eng@example.com'], rejected: ['gone@example.com'] });
  await expect(smtpSend({ host: '127.0.0.1', port }, { from: 'a@example.com', to: ['gone@example.com'], text: 'x' }, new Date())).rejects.toMatchObject({ code: 'EENVELOPE' });
  catcher.failNext = 1;
  await expect(smtpSend({ host: '127.0.0.1', port }, { from: 'a@example.com', to: ['eng@example.com'], text: 'x' }, new Date())).rejects.toMatchObject({ command: 'MAIL FROM', responseCode: 451 });
  await expect(smtpSend({ host: '127.0.0.1', port: 1 }, { from: 'a@example.com', to: ['eng@example.com'], text: 'x' }, new Date())).rejects.toMatchObject({ code: 'ESOCKET', command: 'CONN' }); // nodemailer's code for a refused connection
  expect(caught).toHaveLength(1);
});

it('serves the platform seam: multipart in, SMTP out, proxy errors in the shape sendEmail reads', async () => {
  const form = new FormData();
  form.append('metadata', JSON.stringify({ host: '127.0.0.1', port, from: 'a@example.com', to: ['eng@example.com'], subject: 's', text: 't', attachments: [] }));
  const req = new Response(form);
  const init = { method: 'POST', headers: { 'Content-Type': req.headers.get('content-type')! }, body: Buffer.from(await req.arrayBuffer()) };
  expect(await handleEmailSeam(init, new Date())).toMatchObject({ status: 200, body: { accepted: ['eng@example.com'], rejected: [] } });
  const noRecipients = new FormData();
  noRecipients.append('metadata', JSON.stringify({ host: '127.0.0.1', port, from: 'a@example.com' }));
  const r2 = new Response(noRecipients);
  const out = await handleEmailSeam({ method: 'POST', headers: { 'Content-Type': r2.headers.get('content-type')! }, body: Buffer.from(await r2.arrayBuffer()) }, new Date());
  expect(out).toMatchObject({ status: 400, headers: { 'forge-proxy-error': 'SEND_EMAIL_ERR' }, body: { code: 'EENVELOPE' } });
  expect(caught).toHaveLength(1);
});

/** A sendEmail request as @forge/api posts it to the platform's seam. */
async function seamRequest(metadata: Record<string, unknown>) {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  const req = new Response(form);
  return { method: 'POST', headers: { 'Content-Type': req.headers.get('content-type')! }, body: Buffer.from(await req.arrayBuffer()) };
}

/** Talks raw SMTP: sends each line after the previous reply, returns the replies (greeting first). */
function talk(to: number, lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: to });
    socket.setEncoding('utf8');
    const replies: string[] = [];
    let buffer = '';
    let sent = 0;
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const m = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3} [^\r\n]*\r\n/.exec(buffer);
        if (!m) return;
        buffer = buffer.slice(m[0].length);
        replies.push(m[0].trim());
        if (sent < lines.length) socket.write(`${lines[sent++]}\r\n`);
        else {
          socket.end();
          resolve(replies);
        }
      }
    });
  });
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const plainLogin = (user: string, pass: string) => b64(`\0${user}\0${pass}`);

describe('a catcher that requires a login', () => {
  let locked: SmtpCatcher;
  let lockedPort = 0;
  let received: Omit<CaughtMessage, 'id' | 'at'>[] = [];
  const login = { user: 'mailer@example.com', pass: 'c0rrect horse' };
  const mail = { from: 'pft@example.com', to: ['eng@example.com'], subject: 's', text: 't' };

  beforeAll(async () => {
    locked = new SmtpCatcher((m) => received.push(m), { auth: login });
    lockedPort = (await locked.listen(0)).port;
  });
  afterAll(() => locked.close());
  beforeEach(() => {
    received = [];
    locked.logins.length = 0;
  });

  it('takes mail from a client that logs in with AUTH PLAIN or AUTH LOGIN', async () => {
    expect(await smtpSend({ host: '127.0.0.1', port: lockedPort, auth: login }, mail, new Date())).toMatchObject({ accepted: ['eng@example.com'] });
    expect(await smtpSend({ host: '127.0.0.1', port: lockedPort, auth: login, authMethod: 'LOGIN' }, mail, new Date())).toMatchObject({ accepted: ['eng@example.com'] });
    expect(received).toHaveLength(2);
    expect(locked.logins).toEqual([
      { user: 'mailer@example.com', ok: true, mechanism: 'PLAIN' },
      { user: 'mailer@example.com', ok: true, mechanism: 'LOGIN' },
    ]);
  });

  it('answers a wrong password with 535 and mail without a login with 530, delivering nothing', async () => {
    await expect(smtpSend({ host: '127.0.0.1', port: lockedPort, auth: { ...login, pass: 'wrong' } }, mail, new Date())).rejects.toMatchObject({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 });
    await expect(smtpSend({ host: '127.0.0.1', port: lockedPort, auth: { user: 'someone@example.com', pass: login.pass }, authMethod: 'LOGIN' }, mail, new Date())).rejects.toMatchObject({ code: 'EAUTH', command: 'AUTH LOGIN', responseCode: 535 });
    await expect(smtpSend({ host: '127.0.0.1', port: lockedPort }, mail, new Date())).rejects.toMatchObject({ command: 'MAIL FROM', responseCode: 530 });
    expect(received).toEqual([]);
    expect(locked.logins.map((l) => l.ok)).toEqual([false, false]);
  });

  it('speaks the AUTH exchange of RFC 4954: advertised in EHLO, challenges, cancel, bad encoding, unknown mechanism', async () => {
    const r = await talk(lockedPort, [
      'AUTH PLAIN', // before EHLO
      'EHLO client',
      'MAIL FROM:<pft@example.com>',
      'AUTH CRAM-MD5',
      'AUTH LOGIN',
      '*',
      'AUTH PLAIN',
      'not base64!',
      'AUTH LOGIN ' + b64(login.user),
      b64('wrong'),
      'AUTH PLAIN',
      plainLogin(login.user, login.pass),
      'AUTH PLAIN ' + plainLogin(login.user, login.pass),
      'RSET',
      'MAIL FROM:<pft@example.com>',
      'QUIT',
    ]);
    expect(r.map((x) => x.slice(0, 3))).toEqual(['220', '503', '250', '530', '504', '334', '501', '334', '501', '334', '535', '334', '235', '503', '250', '250', '221']);
    expect(r[2]).toContain('250-AUTH PLAIN LOGIN');
    expect(r[5]).toBe(`334 ${b64('Username:')}`);
    expect(r[9]).toBe(`334 ${b64('Password:')}`);
  });

  it('AUTH PLAIN names the user in the authentication identity: a token with only the authorization identity is refused', async () => {
    const r = await talk(lockedPort, ['EHLO client', `AUTH PLAIN ${b64(`${login.user}\0\0${login.pass}`)}`, `AUTH PLAIN ${b64(`someone\0${login.user}\0${login.pass}`)}`, 'QUIT']);
    expect(r.map((x) => x.slice(0, 3))).toEqual(['220', '250', '535', '235', '221']);
    expect(locked.logins).toEqual([
      { user: '', ok: false, mechanism: 'PLAIN' },
      { user: login.user, ok: true, mechanism: 'PLAIN' },
    ]);
  });

  it('a message larger than the SIZE it advertises is refused with 552 and not delivered', async () => {
    const small = new SmtpCatcher((m) => received.push(m), { auth: login, maxMessageBytes: 2_000 });
    const smallPort = (await small.listen(0)).port;
    try {
      expect((await talk(smallPort, ['EHLO client', 'QUIT']))[1]).toContain('250 SIZE 2000');
      await expect(smtpSend({ host: '127.0.0.1', port: smallPort, auth: login }, { ...mail, text: 'x'.repeat(3_000) }, new Date())).rejects.toMatchObject({ responseCode: 552 });
      expect(received).toEqual([]);
      expect(await smtpSend({ host: '127.0.0.1', port: smallPort, auth: login }, { ...mail, text: 'x'.repeat(500) }, new Date())).toMatchObject({ accepted: ['eng@example.com'] });
      expect(received).toHaveLength(1);
    } finally {
      small.close();
    }
  });

  it('an open catcher advertises no AUTH and refuses it, and a relay given a login then sends without one (as nodemailer does)', async () => {
    const r = await talk(port, ['EHLO client', `AUTH PLAIN ${plainLogin('a', 'b')}`, 'QUIT']);
    expect(r[1]).not.toContain('AUTH');
    expect(r[2]).toMatch(/^500 /); // smtp-server: a disabled command is not recognized
    expect(await smtpSend({ host: '127.0.0.1', port, auth: login }, mail, new Date())).toMatchObject({ accepted: ['eng@example.com'] });
    expect(caught).toHaveLength(1);
  });

  it('the platform seam logs in with the auth sendEmail passes, and reports a refused login in the shape SendEmailError reads', async () => {
    const base = { host: '127.0.0.1', port: lockedPort, from: 'a@example.com', to: ['eng@example.com'], text: 't' };
    expect(await handleEmailSeam(await seamRequest({ ...base, auth: login }), new Date())).toMatchObject({ status: 200, body: { accepted: ['eng@example.com'] } });
    const refused = await handleEmailSeam(await seamRequest({ ...base, auth: { ...login, pass: 'wrong' } }), new Date());
    expect(refused).toMatchObject({ status: 502, headers: { 'forge-proxy-error': 'SEND_EMAIL_ERR' }, body: { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' } });
    expect(JSON.stringify(refused)).not.toContain('wrong');
    expect(await handleEmailSeam(await seamRequest(base), new Date())).toMatchObject({ status: 502, body: { responseCode: 530, command: 'MAIL FROM' } });
    expect(await handleEmailSeam(await seamRequest({ ...base, auth: { user: 'x' } }), new Date())).toMatchObject({ status: 400, body: { code: 'EAUTH', command: 'API' } });
    expect(received).toHaveLength(1);
  });
});
