/**
 * The import boundaries are kept by the linter, not by convention: each bad sample below must be refused
 * where it sits, and the same import from a room that may make it must pass.
 */
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const root = path.resolve(__dirname, '..');

// ESLint loads its flat config with a dynamic import, which jest's module system cannot do: lint in a child node.
// The samples are in no tsconfig project, so the type-aware rules are switched off for them (the import rules
// under test are syntactic and stay exactly as configured).
const LINT_SAMPLES = `
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');
const samples = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
(async () => {
  const out = [];
  for (const [file, code] of samples) {
    const [result] = await eslint.lintText(code, { filePath: require('path').join(process.cwd(), file) });
    out.push(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

function restrictedImports(samples: [string, string][]): string[][] {
  const out = execFileSync(process.execPath, ['-e', LINT_SAMPLES], { cwd: root, input: JSON.stringify(samples), encoding: 'utf8' });
  return JSON.parse(out) as string[][];
}

describe('import boundaries', () => {
  const refused: [string, string][] = [
    ['src/services/sample.ts', "import { LocalSite } from '../../local-site/site';\nexport const s = LocalSite;\n"],
    ['src/resolvers/sample.ts', "import { seeded } from '../../test/integration/support/site';\nexport const s = seeded;\n"],
    ['src/domain/sample.ts', "import api from '@forge/api';\nexport const a = api;\n"],
    ['src/domain/sample.ts', "import { kvs } from '@forge/kvs';\nexport const k = kvs;\n"],
    ['src/domain/sample.ts', "import { JiraClient } from '../atlassian/jira';\nexport const j = JiraClient;\n"],
    ['src/domain/sample.ts', "import { readSettings } from '../store/settings';\nexport const r = readSettings;\n"],
    ['src/domain/sample.ts', "import fs from 'node:fs';\nexport const f = fs;\n"],
    ['static/report/src/sample.ts', "import { LocalSite } from '../../../local-site/site';\nexport const s = LocalSite;\n"],
    ['static/report/src/sample.ts', "import { readSettings } from '../../../src/store/settings';\nexport const r = readSettings;\n"],
    ['static/report/src/sample.ts', "import api from '@forge/api';\nexport const a = api;\n"],
    ['src/services/sample.ts', "import { respond } from '../resolvers/respond';\nexport const r = respond;\n"],
    ['src/services/sample.ts', "import { pushCreateIssues } from '../jobs/create-issues-consumer';\nexport const p = pushCreateIssues;\n"],
    ['static/postmortem/src/sample.ts', "import { z } from 'zod';\nexport const s = z.string();\n"],
    ['static/postmortem/src/sample.ts', "import { validatePostmortem } from '../../../src/domain/postmortem-schema';\nexport const v = validatePostmortem;\n"],
  ];

  it('refuses a shipped room importing the local site or tests, domain doing I/O, and the UI reaching the backend', () => {
    const found = restrictedImports(refused);
    expect(refused.filter((_, i) => found[i]!.length === 0)).toEqual([]);
  });

  const allowed: [string, string][] = [
    ['src/services/sample.ts', "import { JiraClient } from '../atlassian/jira';\nexport const j = JiraClient;\n"],
    ['src/domain/sample.ts', "import { addBusinessDays } from './business-days';\nexport const a = addBusinessDays;\n"],
    ['src/services/sample.ts', "import { readPostmortem } from '../store/postmortem-document';\nexport const r = readPostmortem;\n"],
    ['src/resolvers/sample.ts', "import { publishPostmortem } from '../services/publish-postmortem';\nexport const p = publishPostmortem;\n"],
    ['static/postmortem/src/sample.ts', "import { mergePostmortems } from '../../../src/domain/postmortem-merge';\nexport const m = mergePostmortems;\n"],
    ['static/report/src/sample.ts', "import type { ReportRow } from '../../../src/contract/report';\nexport type R = ReportRow;\n"],
    ['local-site/sample.ts', "import { handler } from '../src/index';\nexport const h = handler;\n"],
  ];

  it('allows the imports each room may make', () => {
    expect(restrictedImports(allowed)).toEqual(allowed.map(() => []));
  });
});
