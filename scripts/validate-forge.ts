/**
 * What `forge lint` checks, offline: the manifest against Forge's schema and semantic rules
 * (@forge/manifest), then the client-side linters of @forge/lint — handler exports, and the scopes every
 * REST call in src/ needs, looked up in Atlassian's OpenAPI documents in ../shared/atlassian-openapi.
 * Warnings count as failures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, useLocalSpecs } from './forge-lint-env';

const root = projectRoot;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|js)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path.relative(root, p)] : [];
  });
}

async function main(): Promise<void> {
  process.chdir(root);
  useLocalSpecs();

  /* eslint-disable @typescript-eslint/no-require-imports */
  const { validate } = require('@forge/manifest') as typeof import('@forge/manifest');
  const { lint } = require('@forge/lint') as typeof import('@forge/lint');
  /* eslint-enable @typescript-eslint/no-require-imports */

  let failed = false;
  const result = await validate(false, path.join(root, 'manifest.yml'));
  if (!result.success) {
    failed = true;
    for (const e of result.errors ?? []) console.error(`manifest.yml:${e.line ?? '?'}:${e.column ?? '?'} ${e.message}`);
  } else {
    console.log('manifest.yml: valid');
  }

  const files = sourceFiles(path.join(root, 'src'));
  const logger = { info: () => undefined, debug: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m), trace: () => undefined, log: () => undefined };
  const statsig = { getDeprecatedRuntimes: async () => [] };
  // The linters read the manifest's content (`modules`, `permissions`), which validate() returns as typedContent.
  const manifest = (result.manifestObject as { typedContent?: unknown } | undefined)?.typedContent;
  if (!manifest) throw new Error('@forge/manifest returned no manifest content to lint');
  const results = await lint(files, manifest as never, 'development', logger as never, statsig as never, { linter: { mode: 'client-side' } });
  let problems = 0;
  for (const r of results) {
    for (const p of [...r.errors, ...r.warnings]) {
      problems += 1;
      console.error(`${r.file}:${p.line}:${p.column} ${p.message}${p.reference ? ` (${p.reference})` : ''}`);
    }
  }
  if (problems) failed = true;
  else console.log(`forge lint (offline, client-side): ${files.length} files, no errors or warnings`);
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
