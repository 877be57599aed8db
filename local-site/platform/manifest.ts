/**
 * Reads an app's manifest.yml the way the Forge platform uses it: which function handles which module,
 * which resources serve which Custom UI, the scheduled triggers, queues, web triggers, custom entities and
 * the entity-property search aliases that JQL understands.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Permissions } from '@forge/manifest';

export interface ManifestFunction { key: string; handler: string; timeoutSeconds?: number }
export interface UiModule {
  type: string;
  key: string;
  title: string;
  resource: string;
  resolverFunction?: string;
  /** For macros: the function that renders the macro as ADF when the page is exported. */
  adfExportFunction?: string;
  /** For dashboard gadgets: the resource of the edit view (`edit.resource`), when the gadget has one. */
  editResource?: string;
  raw: Record<string, unknown>;
}
export interface ScheduledTriggerModule { key: string; function: string; interval: 'fiveMinute' | 'hour' | 'day' | 'week' }
export interface ConsumerModule { key: string; queue: string; function: string }
export interface WebTriggerModule { key: string; function: string }
/** A `trigger` module: product or lifecycle events (e.g. `avi:forge:upgraded:app`) that invoke a function. */
export interface EventTriggerModule { key: string; function: string; events: string[] }
/** issue 16: a `jira:workflowValidator` (a function or a Jira expression validator). */
export interface WorkflowValidatorModule { key: string; name: string; description: string; function?: string; expression?: string; errorMessage?: string }
export interface EntityDefinition {
  name: string;
  attributes: Record<string, { type: 'string' | 'boolean' | 'float' | 'integer' | 'any' }>;
  indexes: Array<string | { name: string; range: string[]; partition?: string[] }>;
}
export interface EntityPropertyAlias { alias: string; propertyKey: string; path: string; type: 'number' | 'string' | 'text' | 'user' | 'date' }

export interface AppManifest {
  /** Folder holding manifest.yml: resource paths and handler files are relative to it. */
  root: string;
  appId: string;
  /** `app.compatibility`: the Atlassian apps one installation spans, and which are required (absent = one installation per app). */
  compatibility?: Partial<Record<'confluence' | 'jira', { required: boolean }>>;
  /** Every module type the manifest uses (macro, jira:issuePanel, scheduledTrigger, …). */
  moduleTypes: string[];
  title: string;
  functions: Map<string, ManifestFunction>;
  uiModules: UiModule[];
  scheduledTriggers: ScheduledTriggerModule[];
  consumers: ConsumerModule[];
  webTriggers: WebTriggerModule[];
  eventTriggers: EventTriggerModule[];
  /** The manifest's text, for telling a new deployment from the one installed. */
  source: string;
  /** issue 16: the workflow validators Jira admins can add to transitions. */
  workflowValidators: WorkflowValidatorModule[];
  entities: EntityDefinition[];
  entityPropertyAliases: EntityPropertyAlias[];
  resources: Map<string, string>;
  scopes: string[];
  /** The manifest's `permissions` as written (content security and egress for Custom UI). */
  permissions: Permissions;
}

export const INTERVAL_MS: Record<ScheduledTriggerModule['interval'], number> = {
  fiveMinute: 5 * 60_000,
  hour: 60 * 60_000,
  day: 24 * 60 * 60_000,
  week: 7 * 24 * 60 * 60_000,
};

/** Module types rendered as Custom UI (iframes) by the local site. */
const UI_MODULE_TYPES = [
  'macro',
  'confluence:globalPage',
  'confluence:globalSettings',
  'confluence:contentAction',
  'jira:adminPage',
  'jira:projectPage',
  'jira:issuePanel',
  'jira:issueGlance',
  'jira:issueAction',
  'jira:issueContext',
  'jira:globalPage',
  'jira:dashboardGadget',
];

type Raw = Record<string, unknown>;

export function loadManifest(file: string): AppManifest {
  const source = fs.readFileSync(file, 'utf8');
  const doc = YAML.parse(source) as Raw;
  const modules = (doc.modules ?? {}) as Record<string, Raw[]>;
  const app = (doc.app ?? {}) as Raw;
  const list = (type: string): Raw[] => (Array.isArray(modules[type]) ? modules[type] : []);

  const functions = new Map<string, ManifestFunction>();
  for (const f of list('function')) {
    functions.set(String(f.key), { key: String(f.key), handler: String(f.handler), timeoutSeconds: f.timeoutSeconds as number | undefined });
  }
  const uiModules: UiModule[] = [];
  for (const type of UI_MODULE_TYPES) {
    for (const m of list(type)) {
      if (typeof m.resource !== 'string') continue;
      const resolver = m.resolver as Raw | undefined;
      uiModules.push({
        type,
        key: String(m.key),
        title: String(m.title ?? m.key),
        resource: m.resource,
        resolverFunction: resolver && typeof resolver.function === 'string' ? resolver.function : undefined,
        adfExportFunction: typeof (m.adfExport as Raw | undefined)?.function === 'string' ? String((m.adfExport as Raw).function) : undefined,
        editResource: typeof (m.edit as Raw | undefined)?.resource === 'string' ? String((m.edit as Raw).resource) : undefined,
        raw: m,
      });
    }
  }
  const aliases: EntityPropertyAlias[] = [];
  for (const ep of list('jira:entityProperty')) {
    for (const v of (ep.values ?? []) as Raw[]) {
      if (typeof v.searchAlias === 'string') {
        aliases.push({ alias: v.searchAlias, propertyKey: String(ep.propertyKey), path: String(v.path), type: v.type as EntityPropertyAlias['type'] });
      }
    }
  }
  const storage = (app.storage ?? {}) as Raw;
  const permissions = (doc.permissions ?? {}) as Raw;
  return {
    root: path.dirname(path.resolve(file)),
    appId: String(app.id ?? ''),
    ...(app.compatibility && typeof app.compatibility === 'object' ? { compatibility: app.compatibility } : {}),
    moduleTypes: Object.keys(modules).filter((t) => Array.isArray(modules[t]) && modules[t].length > 0),
    title: String((list('jira:adminPage')[0]?.title as string | undefined) ?? 'Forge app'),
    functions,
    uiModules,
    scheduledTriggers: list('scheduledTrigger').map((t) => ({ key: String(t.key), function: String(t.function), interval: t.interval as ScheduledTriggerModule['interval'] })),
    consumers: list('consumer').map((c) => ({ key: String(c.key), queue: String(c.queue), function: String(c.function) })),
    webTriggers: list('webtrigger').map((w) => ({ key: String(w.key), function: String(w.function) })),
    eventTriggers: list('trigger').map((t) => ({ key: String(t.key), function: String(t.function), events: (Array.isArray(t.events) ? t.events : []).map(String) })),
    source,
    workflowValidators: list('jira:workflowValidator').map((v) => ({
      key: String(v.key),
      name: typeof v.name === 'string' ? v.name : String(v.key),
      description: typeof v.description === 'string' ? v.description : '',
      ...(typeof v.function === 'string' ? { function: v.function } : {}),
      ...(typeof v.expression === 'string' ? { expression: v.expression } : {}),
      ...(typeof v.errorMessage === 'string' ? { errorMessage: v.errorMessage } : {}),
    })),
    entities: ((storage.entities ?? []) as EntityDefinition[]).map((e) => ({ ...e, indexes: e.indexes ?? [] })),
    entityPropertyAliases: aliases,
    resources: new Map(((doc.resources ?? []) as Raw[]).map((r) => [String(r.key), String(r.path)])),
    scopes: ((permissions.scopes ?? []) as string[]).map(String),
    permissions: permissions,
  };
}
