/**
 * A static check of every REST call in src/: its path is built with the `route` tagged template (which
 * URL-encodes each interpolated value, so user text can never change the path or add query parameters),
 * and it is written where @forge/lint can read it — `x.requestJira(route`...`, { method: 'POST', ... })`
 * — so that the offline lint checks the manifest has the scope each call needs.
 *
 * Findings (each with file and line):
 * - a requestJira / requestConfluence / requestBitbucket call whose path is not a `route` template
 *   (only the plumbing that passes on its own `path` parameter is allowed);
 * - such a call whose options are not an object literal, or whose method is not a string literal;
 * - a `route` template that is not the path of such a call (the lint cannot see it);
 * - `assumeTrustedRoute`, `routeFromAbsolute`, `as Route` casts, and any `fetch(...)` (the app has no egress).
 * Used by test/static-checks.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface RestCallFinding {
  file: string;
  line: number;
  message: string;
}

const REQUEST_FUNCTIONS = /^request(Jira|Confluence|Bitbucket)$/;
const BANNED = new Set(['assumeTrustedRoute', 'routeFromAbsolute', '__fetchProduct', '__requestAtlassianAsApp', '__requestAtlassianAsUser']);

/** True when `name` is declared by a function around `node` (a parameter) or a local variable in scope. */
function isLocallyBound(node: ts.Node, name: string): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) && p.parameters.some((param) => ts.isIdentifier(param.name) && param.name.text === name)) return true;
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      const declared = p.statements.some((st) => ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
      if (declared) return true;
    }
  }
  return false;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const c = call.expression;
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

const isRouteTemplate = (node: ts.Node): node is ts.TaggedTemplateExpression =>
  ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'route';

/** True when `name` is a parameter of the innermost function around `node` (plumbing that passes its path on). */
function isOwnParameter(node: ts.Node, name: string): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isArrowFunction(p) || ts.isFunctionExpression(p) || ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p)) {
      return p.parameters.some((param) => ts.isIdentifier(param.name) && param.name.text === name);
    }
  }
  return false;
}

export function checkRestCalls(file: string, text: string): RestCallFinding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: RestCallFinding[] = [];
  const report = (node: ts.Node, message: string) =>
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, message });

  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && BANNED.has(node.text)) report(node, `${node.text} bypasses route's encoding of path parameters`);
    if (ts.isAsExpression(node) && ts.isTypeReferenceNode(node.type) && ts.isIdentifier(node.type.typeName) && node.type.typeName.text === 'Route') {
      report(node, 'a value cast to Route is not built with the route tagged template');
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      const globalFetch = ts.isIdentifier(node.expression) && name === 'fetch' && !isLocallyBound(node, 'fetch');
      const apiFetch = ts.isPropertyAccessExpression(node.expression) && name === 'fetch' && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'api';
      if (globalFetch || apiFetch) report(node, 'fetch(...) call: product REST goes through requestJira/requestConfluence with route`...`');
      if (name && REQUEST_FUNCTIONS.test(name)) {
        const [pathArg, options] = node.arguments;
        if (!pathArg) report(node, `${name}() without a path`);
        else if (isRouteTemplate(pathArg)) {
          if (options && !ts.isObjectLiteralExpression(options)) report(options, `${name}: options must be an object literal so that @forge/lint reads the method`);
          if (options && ts.isObjectLiteralExpression(options)) {
            const method = options.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(source) === 'method') as ts.PropertyAssignment | undefined;
            if (method && !ts.isStringLiteral(method.initializer)) report(method, `${name}: the method must be a string literal so that @forge/lint checks its scope`);
            if (!method && options.properties.some((p) => ts.isShorthandPropertyAssignment(p) && p.name.text === 'method')) report(options, `${name}: the method must be a string literal`);
          }
        } else if (!(ts.isIdentifier(pathArg) && isOwnParameter(node, pathArg.text))) {
          report(pathArg, `${name}: the path is not built with the route tagged template`);
        }
      }
    }
    if (isRouteTemplate(node)) {
      const parent = node.parent;
      const direct = ts.isCallExpression(parent) && parent.arguments[0] === node && REQUEST_FUNCTIONS.test(calleeName(parent) ?? '');
      // route`...${route`...`}` nests a route inside a route: the outer one is what is checked.
      const nested = ts.isTemplateSpan(parent) && isRouteTemplate(parent.parent.parent);
      if (!direct && !nested) report(node, 'route`...` outside a requestJira/requestConfluence call: @forge/lint cannot check the scope it needs');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** Every non-test .ts/.tsx file under `dir`. */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

export function checkRestCallsIn(dir: string): RestCallFinding[] {
  return sourceFiles(dir).flatMap((f) => checkRestCalls(path.relative(path.resolve(dir, '..'), f), fs.readFileSync(f, 'utf8')));
}
