/**
 * Points @forge/lint's permission linter at Atlassian's OpenAPI documents on disk (../shared/atlassian-openapi
 * or $ATLASSIAN_OPENAPI_DIR) instead of downloading them; the products the app does not use get an empty spec.
 * Shared by scripts/validate-forge.ts and the scope checks in test/static-checks.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..');
export const specDir = process.env.ATLASSIAN_OPENAPI_DIR ?? path.resolve(projectRoot, '../shared/atlassian-openapi');

export function useLocalSpecs(): void {
  for (const f of ['jira-platform-v3.json', 'confluence-v1.json', 'confluence-v2.json']) {
    if (!fs.existsSync(path.join(specDir, f))) throw new Error(`Missing ${f} in ${specDir} (set ATLASSIAN_OPENAPI_DIR)`);
  }
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forge-lint-')), 'empty-paths.json');
  fs.writeFileSync(empty, JSON.stringify({ paths: {} }));
  Object.assign(process.env, {
    USE_LOCAL_SWAGGER: '1',
    LOCAL_JIRA_SWAGGER: path.join(specDir, 'jira-platform-v3.json'),
    LOCAL_CONF_SWAGGER: path.join(specDir, 'confluence-v1.json'),
    LOCAL_CONF_V2_SWAGGER: path.join(specDir, 'confluence-v2.json'),
    LOCAL_JSM_SWAGGER: empty,
    LOCAL_JSW_SWAGGER: empty,
    LOCAL_BB_SWAGGER: empty,
  });
}
