/**
 * The per-invocation context of the Forge runtime. The real runtime runs one invocation per sandbox;
 * the local site runs many at once in one process, so the `__forge_runtime__` global is a getter that
 * answers from AsyncLocalStorage: each invocation sees its own user, module and trace ids.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { runtimeInstallation, type Installation } from './installations';

export interface InvocationContext {
  invocationId: string;
  moduleKey: string;
  functionKey: string;
  /** The user the invocation acts for (UI calls); undefined for triggers and consumers. */
  accountId?: string;
  /** Wall-clock epoch ms when it started. */
  startedAt: number;
  /** Wall-clock epoch ms when the invocation must end (functions run in real time). */
  deadline: number;
  /** The installation the invocation runs in: its storage, its context, the Atlassian apps it may call. */
  installation?: Installation;
  /** What started it: a UI resolver call, a scheduled trigger, a queue consumer... (undefined: a test's own code). */
  kind?: 'ui' | 'trigger' | 'consumer' | 'webtrigger' | 'other';
  /**
   * The invocation at the root of a chain of async events: a push made here, or by any consumer downstream,
   * counts against that root's cyclic invocation limit.
   */
  chainRoot?: string;
}

export const invocationStorage = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return invocationStorage.getStore();
}

export const APP_IDS = {
  environmentId: '0b3c3e1c-6b7f-4a8e-9d41-5d7d2f1a9c10',
  installationId: '8f2a4d61-3c9b-4d2e-a8f1-2b6c9e0d7a34',
  cloudId: '3d9c2e5f-7a1b-4c8d-9e0f-1a2b3c4d5e6f',
  appVersion: '1.0.0',
};

/** The installation context when no installation is known (an invocation outside any module). */
export const INSTALL_CONTEXT = `ari:cloud:confluence::site/${APP_IDS.cloudId}`;

const noopMetrics = {
  counter: () => ({ incr() {}, decr() {} }),
  timing: () => ({ measure: () => ({ stop() {} }) }),
  gauge: () => ({ set() {} }),
};

/** The object @forge/api and @forge/kvs read from `global.__forge_runtime__`. */
export function runtimeFor(appId: string, ctx: InvocationContext | undefined): Record<string, unknown> {
  const invocationId = ctx?.invocationId ?? randomUUID();
  return {
    proxy: { token: `local-site-token:${invocationId}`, url: 'http://local-site.invalid/proxy' },
    tracing: { traceId: invocationId.replace(/-/g, '').slice(0, 16), spanId: invocationId.replace(/-/g, '').slice(16, 32) },
    metrics: noopMetrics,
    contextAri: ctx?.installation?.installContext ?? INSTALL_CONTEXT,
    appContext: {
      appId,
      appVersion: APP_IDS.appVersion,
      environmentId: APP_IDS.environmentId,
      environmentType: 'DEVELOPMENT',
      invocationId,
      installationId: ctx?.installation?.id ?? APP_IDS.installationId,
      ...(ctx?.installation ? { installation: runtimeInstallation(ctx.installation) } : {}),
      moduleKey: ctx?.moduleKey ?? 'local-site',
      license: { isActive: true },
      permissions: { scopes: [], external: {} },
    },
    lambdaContext: {
      getRemainingTimeInMillis: () => (ctx ? Math.max(0, ctx.deadline - Date.now()) : 900_000),
    },
    externalAuth: [],
  };
}
