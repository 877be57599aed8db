/**
 * Installations, as Forge makes them from the manifest (docs: developer.atlassian.com/platform/forge/app-compatibility,
 * .../build-an-app-compatible-with-confluence-and-jira).
 *
 * - Without `app.compatibility`, an app is installed per Atlassian app: an app with Confluence and Jira modules
 *   gets one installation in each, and each installation has its own Forge storage, fires its own scheduled
 *   triggers and runs with its own installation context. A module only runs in the installation of its
 *   product, and an installation calls only its own product's REST API.
 * - With `app.compatibility`, there is one installation: its context is the required app's site, and the
 *   optional apps that are connected join it (`installation.contexts`, @forge/api out/api/runtime.d.ts). A
 *   module of an optional app that is not connected does not run; calls to it are refused.
 */
import type { AppManifest } from './manifest';
import { APP_IDS } from './invocation';

export type AtlassianApp = 'confluence' | 'jira';
const APPS: AtlassianApp[] = ['confluence', 'jira'];

export interface Installation {
  id: string;
  /** The ARI of the site of the app the installation was made in (`installContext` handed to every function). */
  installContext: string;
  /** The Atlassian apps this installation may serve modules of and call the REST APIs of. */
  apps: AtlassianApp[];
  /** One context ARI per app in the installation (`appContext.installation.contexts`). */
  contexts: string[];
}

/** A second installation's id (only an app without `app.compatibility` spanning two apps has one). */
const SECOND_INSTALLATION_ID = '2c6e9a41-7b3d-4f58-9e21-6d0a8c4b1f97';

export const siteAri = (app: AtlassianApp) => `ari:cloud:${app}::site/${APP_IDS.cloudId}`;

/** The Atlassian app a module belongs to (`macro` and `confluence:*` → Confluence, `jira:*` → Jira). */
export function appOfModule(type: string): AtlassianApp | undefined {
  if (type === 'macro' || type.startsWith('confluence:')) return 'confluence';
  if (type.startsWith('jira:')) return 'jira';
  return undefined;
}

/** The installations of this app on the site, given which optional apps are connected. */
export function installationsOf(manifest: AppManifest, connected: (app: AtlassianApp) => boolean): Installation[] {
  const compat = manifest.compatibility;
  if (compat) {
    const required = APPS.filter((a) => compat[a]?.required === true);
    const apps = APPS.filter((a) => compat[a] !== undefined && (compat[a]?.required === true || connected(a)));
    return [{ id: APP_IDS.installationId, installContext: siteAri(required[0]), apps, contexts: apps.map(siteAri) }];
  }
  const used = APPS.filter((a) => manifest.moduleTypes.some((t) => appOfModule(t) === a));
  // An app with modules of one Atlassian app (or of none, like a platform-only fixture) has one installation.
  if (used.length <= 1) {
    const app = used[0] ?? 'jira';
    return [{ id: APP_IDS.installationId, installContext: siteAri(app), apps: used.length ? used : [...APPS], contexts: [siteAri(app)] }];
  }
  return used.map((app, i) => ({ id: i === 0 ? APP_IDS.installationId : SECOND_INSTALLATION_ID, installContext: siteAri(app), apps: [app], contexts: [siteAri(app)] }));
}

/** The runtime's `appContext.installation` (@forge/api runtime.d.ts `Installation`): ARIs with toString, as @forge/api builds them. */
export function runtimeInstallation(inst: Installation): { ari: { installationId: string; toString(): string; toJSON(): string }; contexts: { cloudId: string; toString(): string; toJSON(): string }[] } {
  const ari = `ari:cloud:ecosystem::installation/${inst.id}`;
  return {
    ari: { installationId: inst.id, toString: () => ari, toJSON: () => ari },
    contexts: inst.contexts.map((c) => ({ cloudId: APP_IDS.cloudId, toString: () => c, toJSON: () => c })),
  };
}
