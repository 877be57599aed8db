/**
 * `npm start`: the local Atlassian site with the app installed, at http://localhost:PORT (default 5173,
 * or $PORT); the Custom UI resources come from another origin, http://localhost:PORT+1 (or $RESOURCE_PORT). State lives in .local-site/state.json and survives restarts; `--reset` starts from the seed,
 * `--reset-only` resets and exits.
 */
import { LocalSite } from './site';
import { startSiteServers } from './web/server';

const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORT ?? 5173);
// The SMTP catcher's login: with SMTP_USER and SMTP_PASS set it requires one (AUTH PLAIN or LOGIN), as real servers do.
const smtpUser = process.env.SMTP_USER ?? '';
const smtpPass = process.env.SMTP_PASS ?? '';
if (Boolean(smtpUser) !== Boolean(smtpPass)) {
  console.error('Set both SMTP_USER and SMTP_PASS for the SMTP catcher to require a login, or neither.');
  process.exit(1);
}
const site = new LocalSite({ baseUrl: `http://localhost:${port}`, ...(smtpUser ? { smtpAuth: { user: smtpUser, pass: smtpPass } } : {}) });
if (args.has('--reset') || args.has('--reset-only')) site.reset();
if (args.has('--reset-only')) {
  site.close();
  console.log('Local site reset to its seed data.');
  process.exit(0);
}
site.install();
site.startTicker();
// The SMTP catcher behind the inbox (/__site/inbox): point the app's email settings at localhost and this port.
const smtpPort = Number(process.env.SMTP_PORT ?? 2525);
site.startMailCatcher(smtpPort).then(
  (a) => console.log(`SMTP catcher for the site's inbox: ${a.host}:${a.port}${smtpUser ? ` (login required: user ${smtpUser}, password from $SMTP_PASS)` : ''}`),
  (e: Error) => console.error(`The SMTP catcher could not listen on port ${smtpPort} (${e.message}); set SMTP_PORT to another port.`),
);
const resourcePort = Number(process.env.RESOURCE_PORT ?? port + 1);
const servers = startSiteServers(site, { host: 'localhost', port, resourcePort });
servers.then(
  () => {
    console.log(`Local Atlassian site with ${site.manifest.title}: ${site.baseUrl} (Custom UI resources from ${site.resourceBaseUrl})`);
    console.log('Signed in as Avery Admin; switch user at the top right. Ctrl+C to stop (state is kept).');
  },
  (e: Error) => {
    console.error(`The site could not listen on ports ${port} and ${resourcePort} (${e.message}); set PORT / RESOURCE_PORT.`);
    process.exit(1);
  },
);
const stop = () => {
  site.close();
  void servers.then((s) => s.close()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
