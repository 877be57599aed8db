/** The site's SMTP catcher and the platform's relay talking real SMTP over the loopback interface. */
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
  expect(caught[0]).toMatchObject({ envelopeFrom: 'pft@example.com', to: ['eng@example.com', 'sre@example.com'], from: 'PFT <pft@example.com>', subject: 'Postmortem \u2014 checkout', messageId: '<m1@x>', text: 'line one\n.\nline three', html: '<p>caf\u00e9</p>' });
});

it('reports refused recipients, and fails when none is accepted or the server is down', async () => {
  catcher.refuse.add('gone@example.com');
  const out = await smtpSend({ host: '127.0.0.1', port }, { from: 'a@example.com', to: ['gone@example.com', 'eng@example.com'], text: 'x' }, new Date());
  expect(out).toMatchObject({ accepted: ['eng@example.com'], rejected: ['gone@example.com'] });
  await expect(smtpSend({ host: '127.0.0.1', port }, { from: 'a@example.com', to: ['gone@example.com'], text: 'x' }, new Date())).rejects.toMatchObject({ code: 'EENVELOPE' });
  catcher.failNext = 1;
  await expect(smtpSend({ host: '127.0.0.1', port }, { from: 'a@example.com', to: ['eng@example.com'], text: 'x' }, new Date())).rejects.toMatchObject({ command: 'MAIL FROM', responseCode: 451 });
  await expect(smtpSend({ host: '127.0.0.1', port: 1 }, { from: 'a@example.com', to: ['eng@example.com'], text: 'x' }, new Date())).rejects.toMatchObject({ code: 'ECONNECTION' });
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
