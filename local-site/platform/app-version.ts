/**
 * Which version of the app the site runs, and when Forge would send `avi:forge:upgraded:app`.
 *
 * On Cloud every `forge deploy` makes a new version; a deployment that changes what the app may do
 * (scopes, egress, content permissions: it needs the admin to agree again) is a new *major* version, any
 * other change a minor one. The lifecycle event is "sent when an installed app on a site has been upgraded
 * to a new major version. This event is not sent for minor or patch version upgrades"
 * (developer.atlassian.com/platform/forge/events-reference/life-cycle). Which changes make a major version
 * is partly a *guess* here (permissions only); the site is no more generous than Cloud: a code-only change
 * is a minor version and fires nothing, so the app cannot come to rely on an event Cloud would not send.
 * `/__site/platform` → *Deploy a major version* makes a major version by hand (and fires the event).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppManifest } from './manifest';

export interface AppVersion { major: number; minor: number; permissionsHash: string; codeHash: string }

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/** What this deployment is made of: the manifest's permissions, and the manifest plus the backend code. */
export function deploymentOf(manifest: AppManifest): { permissionsHash: string; codeHash: string } {
  const code = filesUnder(path.join(manifest.root, 'src'))
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.test\.ts$/.test(f))
    .sort()
    .map((f) => `${path.relative(manifest.root, f)}\n${fs.readFileSync(f, 'utf8')}`)
    .join('\n');
  return { permissionsHash: hash(JSON.stringify(manifest.permissions ?? {})), codeHash: hash(`${manifest.source}\n${code}`) };
}

/** The version after deploying `now` over `installed` (pure), and whether Forge sends the upgraded event. */
export function deploy(installed: AppVersion | undefined, now: { permissionsHash: string; codeHash: string }): { version: AppVersion; upgradedEvent: boolean } {
  // First time the site sees the app: installed at 1.0 (the installation event is not modelled).
  if (!installed) return { version: { major: 1, minor: 0, ...now }, upgradedEvent: false };
  if (installed.permissionsHash !== now.permissionsHash) return { version: { major: installed.major + 1, minor: 0, ...now }, upgradedEvent: true };
  if (installed.codeHash !== now.codeHash) return { version: { ...installed, minor: installed.minor + 1, ...now }, upgradedEvent: false };
  return { version: installed, upgradedEvent: false };
}

/** A major version made by hand (the platform page), for trying the upgrade path without changing permissions. */
export function deployMajor(installed: AppVersion | undefined, now: { permissionsHash: string; codeHash: string }): AppVersion {
  return { major: (installed?.major ?? 1) + 1, minor: 0, ...now };
}

export const versionString = (v: AppVersion) => `${v.major}.${v.minor}.0`;
