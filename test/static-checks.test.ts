/**
 * Static security checks over src/ and manifest.yml:
 * - every REST call builds its path with the `route` tagged template, where @forge/lint can read it;
 * - the manifest's scopes are the minimum the offline lint (@forge/lint's permission linter, the scope
 *   check of `forge lint`, fed Atlassian's OpenAPI documents) accepts: each one removed in turn makes it fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { checkRestCalls, checkRestCallsIn, sourceFiles } from '../scripts/check-rest-calls';
import { useLocalSpecs } from '../scripts/forge-lint-env';

const root = path.resolve(__dirname, '..');

describe('REST paths', () => {
  it('are all built with route, in calls the scope linter can read', () => {
    expect(checkRestCallsIn(path.join(root, 'src'))).toEqual([]);
  });

  it('the check flags each way of building a path without route', () => {
    const bad: Record<string, string> = {
      concatenated: "api.asUser().requestJira(assumeTrustedRoute('/rest/api/3/issue/' + key));",
      'plain template cast': 'api.asApp().requestConfluence(`/wiki/api/v2/pages/${id}` as Route);',
      'variable path': 'const p = route`/rest/api/3/myself`; api.asUser().requestJira(p);',
      'route outside a request call': 'sendJson(request, route`/rest/api/3/issue/${key}`, { method: "PUT" });',
      'computed method': 'api.asUser().requestJira(route`/rest/api/3/issue/${key}`, { method: verb });',
      'options not a literal': 'api.asUser().requestJira(route`/rest/api/3/issue/bulk`, json("POST", body));',
      'from absolute': 'api.asUser().requestJira(routeFromAbsolute(url));',
      'global fetch': "await fetch('https://example.atlassian.net/rest/api/3/myself');",
      'api.fetch': 'await api.fetch(url);',
    };
    for (const [name, code] of Object.entries(bad)) {
      expect([name, checkRestCalls('sample.ts', code).length > 0]).toEqual([name, true]);
    }
    const good = [
      'this.requestJira(route`/rest/api/3/issue/${key}/comment`, { method: "POST", body: JSON.stringify({ body }) });',
      'api.asUser().requestConfluence(route`/wiki/api/v2/pages/${id}`);',
      'const plumbing = (path: Route, init?: RequestInit) => api.asUser().requestJira(path, init);',
      'async function page(fetch: () => Promise<unknown>) { return fetch(); }',
    ];
    for (const code of good) expect([code, checkRestCalls('sample.ts', code)]).toEqual([code, []]);
  });
});

describe('manifest scopes', () => {
  const manifest = YAML.parse(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as { permissions: { scopes: string[] } };
  const scopes = manifest.permissions.scopes;

  /** The scope problems the offline lint reports for src/ against this manifest. */
  async function lintScopes(m: unknown): Promise<string[]> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { lint } = require('@forge/lint') as typeof import('@forge/lint');
    const { getClientSideLintersOnly } = require('@forge/lint/out/lint/lint') as { getClientSideLintersOnly: (...args: unknown[]) => Promise<{ constructor: { name: string } }[]> };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const logger = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined, log: () => undefined };
    const statsig = { getDeprecatedRuntimes: async () => [] };
    // `forge lint`'s client-side linters, keeping the one that checks scopes (npm run validate runs them all).
    const linters = (await getClientSideLintersOnly(m, 'development', logger, statsig)).filter((l) => l.constructor.name === 'PermissionLinter');
    expect(linters).toHaveLength(1);
    const files = sourceFiles(path.join(root, 'src')).map((f) => path.relative(root, f));
    const results = await lint(files, m as never, 'development', logger as never, statsig as never, { linters } as never);
    return results.flatMap((r) => [...r.errors, ...r.warnings].map((p) => `${r.file}:${p.line} ${p.message}`));
  }

  beforeAll(() => {
    useLocalSpecs();
    if (process.cwd() !== root) process.chdir(root); // the linter reads tsconfig.json and the files relative to here
  });

  it('cover every REST call, and the lint fails when any one of them is removed', async () => {
    expect(await lintScopes(manifest)).toEqual([]);
    // One run with every scope taken away names each scope some call needs; a declared scope it never names is
    // one whose removal alone would not make the lint fail. (One run instead of one per scope: the same verdict,
    // without the lint's start-up cost times the number of scopes.)
    // storage:app is for @forge/kvs, which the linter does not trace; asserted below instead.
    // report:personal-data is for privacy.reportPersonalData, which the linter does not trace either; asserted below.
    const untraced = ['storage:app', 'report:personal-data'];
    const bare = { ...manifest, permissions: { ...manifest.permissions, scopes: scopes.filter((s) => untraced.includes(s)) } };
    const problems = await lintScopes(bare);
    const notNeeded = scopes.filter((scope) => !untraced.includes(scope) && !problems.some((p) => p.includes(`"${scope}"`)));
    expect(notNeeded).toEqual([]);
  }, 90_000);

  it('has storage:app exactly because the app uses Forge storage', () => {
    const usesKvs = sourceFiles(path.join(root, 'src')).some((f) => /from '@forge\/kvs'/.test(fs.readFileSync(f, 'utf8')));
    expect(usesKvs).toBe(true);
    expect(scopes).toContain('storage:app');
  });

  it('has report:personal-data exactly because the app reports the accounts it stores (privacy.reportPersonalData)', () => {
    const reports = sourceFiles(path.join(root, 'src')).some((f) => /privacy\.reportPersonalData\(/.test(fs.readFileSync(f, 'utf8')));
    expect(reports).toBe(true);
    expect(scopes).toContain('report:personal-data');
  });

  it('asks for no scope twice', () => {
    expect(new Set(scopes).size).toBe(scopes.length);
  });
});
