import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContractViolation, DEFAULT_SPEC_DIR, OpenApiContract } from './index';

/** The real Atlassian specs (read-only, shared). */
const contract = OpenApiContract.load();

const validIssue = {
  expand: 'renderedFields,names,schema,operations',
  id: '10001',
  key: 'INC-1',
  self: 'https://example.atlassian.net/rest/api/3/issue/10001',
  fields: { summary: 'Database outage', created: '2024-03-01T10:00:00.000+0000', labels: ['postmortem'] },
};

describe('spec location', () => {
  it('defaults to <repo>/../shared/atlassian-openapi and caches one contract per folder', () => {
    expect(DEFAULT_SPEC_DIR).toBe(path.resolve(__dirname, '../../../shared/atlassian-openapi'));
    expect(OpenApiContract.load()).toBe(contract);
    expect(OpenApiContract.load(DEFAULT_SPEC_DIR)).toBe(contract);
  });

  it('fails clearly when the folder is missing', () => {
    expect(() => OpenApiContract.load('/nonexistent/openapi-dir')).toThrow(/ATLASSIAN_OPENAPI_DIR/);
  });
});

describe('findOperation', () => {
  it.each([
    ['jira', 'POST', '/rest/api/3/issue/bulk', 'jira-v3', '/rest/api/3/issue/bulk', 'createIssues'],
    ['jira', 'POST', '/rest/api/3/search/jql', 'jira-v3', '/rest/api/3/search/jql', 'searchAndReconsileIssuesUsingJqlPost'],
    ['jira', 'GET', '/rest/api/3/issue/INC-1', 'jira-v3', '/rest/api/3/issue/{issueIdOrKey}', 'getIssue'],
    ['jira', 'PUT', '/rest/api/3/issue/INC-1/properties/pm.meta', 'jira-v3', '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}', 'setIssueProperty'],
    ['jira', 'POST', '/rest/api/3/issue/10001/remotelink', 'jira-v3', '/rest/api/3/issue/{issueIdOrKey}/remotelink', 'createOrUpdateRemoteIssueLink'],
    ['confluence', 'GET', '/wiki/api/v2/pages/123?body-format=storage', 'confluence-v2', '/wiki/api/v2/pages/{id}', 'getPageById'],
    ['confluence', 'POST', '/wiki/api/v2/pages/123/properties', 'confluence-v2', '/wiki/api/v2/pages/{page-id}/properties', 'createPageProperty'],
    ['confluence', 'PUT', '/wiki/api/v2/pages/123/properties/456', 'confluence-v2', '/wiki/api/v2/pages/{page-id}/properties/{property-id}', 'updatePagePropertyById'],
    ['confluence', 'POST', '/wiki/rest/api/content/123/label', 'confluence-v1', '/wiki/rest/api/content/{id}/label', 'atlassianAddlabelstocontent'],
  ] as const)('%s %s %s → %s %s', (product, method, url, spec, template, operationId) => {
    const op = contract.findOperation(product, method, url);
    expect(op).toMatchObject({ product, spec, method, template, operationId });
  });

  it('keeps the spec-relative key for Confluence v2 and extracts path params', () => {
    const op = contract.findOperation('confluence', 'put', '/wiki/api/v2/pages/123/properties/456');
    expect(op?.specPath).toBe('/pages/{page-id}/properties/{property-id}');
    expect(op?.params).toEqual({ 'page-id': '123', 'property-id': '456' });
  });

  it('prefers a literal segment over a parameter', () => {
    expect(contract.findOperation('jira', 'POST', '/rest/api/3/issue/bulk')?.template).toBe('/rest/api/3/issue/bulk');
    expect(contract.findOperation('jira', 'PUT', '/rest/api/3/issue/properties/foo')?.template).toBe('/rest/api/3/issue/properties/{propertyKey}');
    // Like Jira's JAX-RS routing, GET on the literal /issue/bulk does not fall back to getIssue("bulk").
    expect(contract.findOperation('jira', 'GET', '/rest/api/3/issue/bulk')).toBeUndefined();
  });

  it('returns undefined for unknown endpoints', () => {
    expect(contract.findOperation('jira', 'GET', '/rest/api/3/nope')).toBeUndefined();
    expect(contract.findOperation('confluence', 'GET', '/wiki/api/v2/nope')).toBeUndefined();
    expect(contract.findOperation('jira', 'GET', '/wiki/api/v2/pages/1')).toBeUndefined();
  });
});

describe('validateRequest', () => {
  it('reports unknown endpoints', () => {
    const { operation, issues } = contract.validateRequest('jira', 'GET', '/rest/api/3/nope', undefined);
    expect(operation).toBeUndefined();
    expect(issues).toEqual([{ where: 'path', message: 'no such operation in jira-v3: GET /rest/api/3/nope' }]);
    expect(contract.validateRequest('confluence', 'GET', '/wiki/api/v2/nope', undefined).issues[0].message).toBe(
      'no such operation in confluence-v2: GET /wiki/api/v2/nope',
    );
    expect(contract.validateRequest('jira', 'GET', '/rest/api/3/issue/bulk', undefined).issues[0].message).toMatch(
      /^no such operation in jira-v3: GET \/rest\/api\/3\/issue\/bulk \(.*only supports POST\)$/,
    );
  });

  describe('POST /rest/api/3/issue/bulk', () => {
    const url = '/rest/api/3/issue/bulk';
    it('accepts a valid bulk create', () => {
      const body = {
        issueUpdates: [
          { fields: { project: { key: 'INC' }, issuetype: { name: 'Task' }, summary: 'Add DB failover runbook', labels: ['postmortem'] } },
          { fields: { project: { id: '10000' }, issuetype: { id: '10002' }, summary: 'Alert on replica lag' }, update: {} },
        ],
      };
      const { operation, issues } = contract.validateRequest('jira', 'POST', url, body);
      expect(issues).toEqual([]);
      expect(operation?.operationId).toBe('createIssues');
    });

    it('rejects issueUpdates that is not an array', () => {
      const { issues } = contract.validateRequest('jira', 'POST', url, { issueUpdates: { fields: {} } });
      expect(issues).toEqual([{ where: 'body', message: 'POST /rest/api/3/issue/bulk: /issueUpdates must be array' }]);
    });

    it('rejects fields given as a string', () => {
      const { issues } = contract.validateRequest('jira', 'POST', url, { issueUpdates: [{ fields: 'summary=x' }] });
      expect(issues.map((i) => i.message)).toEqual(['POST /rest/api/3/issue/bulk: /issueUpdates/0/fields must be object']);
    });

    it('requires a body', () => {
      const { issues } = contract.validateRequest('jira', 'POST', url, undefined);
      expect(issues).toEqual([{ where: 'body', message: 'POST /rest/api/3/issue/bulk requires a request body' }]);
    });
  });

  describe('search/jql', () => {
    it('accepts a valid POST body', () => {
      const body = { jql: 'project = INC AND labels = postmortem', maxResults: 50, fields: ['summary', 'status'], nextPageToken: 'abc' };
      expect(contract.validateRequest('jira', 'POST', '/rest/api/3/search/jql', body).issues).toEqual([]);
    });

    it('rejects maxResults: "ten" in the body', () => {
      const { issues } = contract.validateRequest('jira', 'POST', '/rest/api/3/search/jql', { jql: 'project = INC', maxResults: 'ten' });
      expect(issues).toEqual([{ where: 'body', message: 'POST /rest/api/3/search/jql: /maxResults must be integer' }]);
    });

    it('checks query parameter types on GET and ignores unknown ones', () => {
      expect(contract.validateRequest('jira', 'GET', '/rest/api/3/search/jql?jql=project%3DINC&maxResults=10&fields=summary,status&whatever=1', undefined).issues).toEqual([]);
      const { issues } = contract.validateRequest('jira', 'GET', '/rest/api/3/search/jql?jql=x&maxResults=ten&failFast=maybe', undefined);
      expect(issues).toEqual([
        { where: 'query', message: `query parameter 'maxResults' = "ten": must be integer` },
        { where: 'query', message: `query parameter 'failFast' = "maybe": must be boolean` },
      ]);
    });
  });

  it('reports missing required query parameters', () => {
    // GET /rest/api/3/user requires nothing; GET /rest/api/3/user/bulk requires accountId.
    const { issues } = contract.validateRequest('jira', 'GET', '/rest/api/3/user/bulk', undefined);
    expect(issues).toEqual([{ where: 'query', message: "missing required query parameter 'accountId'" }]);
    expect(contract.validateRequest('jira', 'GET', '/rest/api/3/user/bulk?accountId=a&accountId=b', undefined).issues).toEqual([]);
  });

  it('validates issue property and remote link bodies', () => {
    const prop = '/rest/api/3/issue/INC-1/properties/postmortem';
    expect(contract.validateRequest('jira', 'PUT', prop, { actionItems: 3 }).issues).toEqual([]);
    expect(contract.validateRequest('jira', 'PUT', prop, undefined).issues[0].where).toBe('body');

    const link = '/rest/api/3/issue/INC-1/remotelink';
    expect(contract.validateRequest('jira', 'POST', link, { globalId: 'pm-1', object: { url: 'https://example.com/pm/1', title: 'Postmortem' } }).issues).toEqual([]);
    expect(contract.validateRequest('jira', 'POST', link, { object: { title: 'Postmortem' } }).issues.map((i) => i.message)).toEqual([
      "POST /rest/api/3/issue/{issueIdOrKey}/remotelink: /object must have required property 'url'",
    ]);
  });

  it('reports a body sent to an operation that takes none', () => {
    const { issues } = contract.validateRequest('jira', 'GET', '/rest/api/3/issue/INC-1', { a: 1 });
    expect(issues).toEqual([{ where: 'body', message: 'GET /rest/api/3/issue/{issueIdOrKey} declares no request body, but one was sent' }]);
  });

  describe('Confluence v2 page properties', () => {
    const create = '/wiki/api/v2/pages/123/properties';
    const update = '/wiki/api/v2/pages/123/properties/456';

    it('accepts valid create and update bodies', () => {
      expect(contract.validateRequest('confluence', 'POST', create, { key: 'postmortem', value: { severity: 'SEV1' } }).issues).toEqual([]);
      expect(contract.validateRequest('confluence', 'PUT', update, { key: 'postmortem', value: { severity: 'SEV2' }, version: { number: 2, message: 'bump' } }).issues).toEqual([]);
    });

    it('rejects wrongly typed bodies', () => {
      expect(contract.validateRequest('confluence', 'POST', create, { key: 42, value: {} }).issues).toEqual([
        { where: 'body', message: 'POST /wiki/api/v2/pages/{page-id}/properties: /key must be string' },
      ]);
      expect(contract.validateRequest('confluence', 'PUT', update, { key: 'k', value: 1, version: { number: 'two' } }).issues).toEqual([
        { where: 'body', message: 'PUT /wiki/api/v2/pages/{page-id}/properties/{property-id}: /version/number must be integer' },
      ]);
      expect(contract.validateRequest('confluence', 'PUT', update, undefined).issues[0].message).toMatch(/requires a request body/);
    });

    it('validates integer path parameters and enum query parameters', () => {
      expect(contract.validateRequest('confluence', 'PUT', '/wiki/api/v2/pages/abc/properties/456', { key: 'k', value: 1, version: { number: 2 } }).issues).toEqual([
        { where: 'path', message: `path parameter 'page-id' = "abc": must be integer` },
      ]);
      const { issues } = contract.validateRequest('confluence', 'GET', '/wiki/api/v2/pages/123?body-format=html', undefined);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ where: 'query' });
      expect(issues[0].message).toMatch(/^query parameter 'body-format' = "html": must be equal to one of the allowed values: "storage", "atlas_doc_format"/);
      expect(contract.validateRequest('confluence', 'GET', '/wiki/api/v2/pages/123?body-format=storage&get-draft=false', undefined).issues).toEqual([]);
    });
  });

  it('validates Confluence v1 label bodies (array or single label)', () => {
    const url = '/wiki/rest/api/content/123/label';
    expect(contract.validateRequest('confluence', 'POST', url, [{ prefix: 'global', name: 'postmortem' }]).issues).toEqual([]);
    expect(contract.validateRequest('confluence', 'POST', url, { prefix: 'global', name: 'postmortem' }).issues).toEqual([]);
    const bad = contract.validateRequest('confluence', 'POST', url, [{ name: 'postmortem' }]).issues;
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.map((i) => i.message).join('\n')).toContain("/0 must have required property 'prefix'");
  });

  it('assertRequest throws a ContractViolation with the issues', () => {
    expect(contract.assertRequest('jira', 'POST', '/rest/api/3/search/jql', { jql: 'x' }).operationId).toBe('searchAndReconsileIssuesUsingJqlPost');
    let caught: unknown;
    try {
      contract.assertRequest('jira', 'POST', '/rest/api/3/search/jql', { maxResults: 'ten' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ContractViolation);
    expect((caught as ContractViolation).issues).toHaveLength(1);
    expect((caught as Error).message).toBe('POST /rest/api/3/search/jql: [body] POST /rest/api/3/search/jql: /maxResults must be integer');
  });
});

describe('validateResponse', () => {
  it('accepts a valid Jira issue', () => {
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1?fields=summary,status', 200, validIssue)).toEqual([]);
  });

  it('rejects an issue with a wrongly typed field', () => {
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 200, { ...validIssue, id: 10001 })).toEqual([
      { where: 'response', message: 'GET /rest/api/3/issue/{issueIdOrKey} 200: /id must be string' },
    ]);
    // IssueBean is closed (additionalProperties: false) in the spec.
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 200, { ...validIssue, summary: 'x' })[0].message).toBe(
      "GET /rest/api/3/issue/{issueIdOrKey} 200: (root) must NOT have additional properties ('summary')",
    );
  });

  it('reports success statuses the operation does not declare, and accepts undeclared error statuses', () => {
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 201, {})).toEqual([
      { where: 'response', message: 'status 201 is not declared for GET /rest/api/3/issue/{issueIdOrKey} (declared: 200, 401, 404)' },
    ]);
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 418, {})).toEqual([]);
  });

  it('reports unknown endpoints', () => {
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/nope', 200, {})).toEqual([
      { where: 'response', message: 'no such operation in jira-v3: GET /rest/api/3/nope' },
    ]);
  });

  it('accepts empty 204 bodies and undocumented error bodies', () => {
    expect(contract.validateResponse('jira', 'PUT', '/rest/api/3/issue/INC-1', 204, undefined)).toEqual([]);
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-404', 404, { errorMessages: ['Issue does not exist'], errors: {} })).toEqual([]);
  });

  it('validates bulk create, search and remote link responses', () => {
    const created = { issues: [{ id: '10001', key: 'INC-1', self: 'https://example.atlassian.net/rest/api/3/issue/10001' }], errors: [] };
    expect(contract.validateResponse('jira', 'POST', '/rest/api/3/issue/bulk', 201, created)).toEqual([]);
    expect(contract.validateResponse('jira', 'POST', '/rest/api/3/issue/bulk', 201, { issues: 'none' })[0].message).toMatch(/\/issues must be array/);
    expect(contract.validateResponse('jira', 'POST', '/rest/api/3/search/jql', 200, { issues: [validIssue], isLast: true })).toEqual([]);
    expect(contract.validateResponse('jira', 'POST', '/rest/api/3/issue/INC-1/remotelink', 201, { id: 10000, self: 'https://example.atlassian.net/rest/api/3/issue/INC-1/remotelink/10000' })).toEqual([]);
    expect(contract.validateResponse('jira', 'POST', '/rest/api/3/issue/INC-1/remotelink', 201, { id: '10000' })[0].message).toMatch(/\/id must be integer/);
  });

  it('expects a JSON body where the spec declares one', () => {
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 200, undefined)).toEqual([
      { where: 'response', message: 'GET /rest/api/3/issue/{issueIdOrKey} status 200: expected a JSON body (application/json), got an empty body' },
    ]);
  });

  it('validates Confluence v2 page and property responses', () => {
    const page = { id: '123', status: 'current', title: 'Postmortem: DB outage', spaceId: '9', parentId: '100', version: { number: 1, createdAt: '2024-03-01T10:00:00.000Z' } };
    expect(contract.validateResponse('confluence', 'GET', '/wiki/api/v2/pages/123', 200, page)).toEqual([]);
    // Spec quirk: PageSingle.parentId is described as "or null if there is no parent page" but is not nullable.
    expect(contract.validateResponse('confluence', 'GET', '/wiki/api/v2/pages/123', 200, { ...page, parentId: null })).toEqual([
      { where: 'response', message: 'GET /wiki/api/v2/pages/{id} 200: /parentId must be string' },
    ]);
    expect(contract.validateResponse('confluence', 'GET', '/wiki/api/v2/pages/123', 200, { ...page, status: 'shiny' })[0].message).toMatch(/\/status must be equal to one of the allowed values/);
    const prop = { id: '456', key: 'postmortem', value: { severity: 'SEV1' }, version: { number: 2 } };
    expect(contract.validateResponse('confluence', 'PUT', '/wiki/api/v2/pages/123/properties/456', 200, prop)).toEqual([]);
    expect(contract.validateResponse('confluence', 'PUT', '/wiki/api/v2/pages/123/properties/456', 200, { ...prop, version: { number: '2' } })[0].message).toMatch(/\/version\/number must be integer/);
  });

  it('assertResponse throws a ContractViolation', () => {
    expect(() => contract.assertResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 200, validIssue)).not.toThrow();
    expect(() => contract.assertResponse('jira', 'GET', '/rest/api/3/issue/INC-1', 200, { id: 1 })).toThrow(ContractViolation);
  });
});

describe('broken or odd specs (ATLASSIAN_OPENAPI_DIR)', () => {
  let dir: string;
  const saved = process.env.ATLASSIAN_OPENAPI_DIR;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-contract-'));
    const spec = {
      openapi: '3.0.1',
      servers: [{ url: 'https://your-domain.atlassian.net' }],
      paths: {
        '/rest/api/3/broken': {
          post: {
            operationId: 'broken',
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } },
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/BadType' } } } } },
          },
        },
        '/rest/api/3/thing/{thingId}': {
          put: {
            operationId: 'putThing',
            parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'integer', format: 'int64' } }],
            requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
            responses: { '2XX': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, default: { description: 'error' } },
          },
        },
      },
      components: {
        schemas: {
          BadType: { type: 'int' },
          Thing: {
            type: 'object',
            required: ['id', 'name', 'secret'],
            properties: {
              id: { type: 'string', readOnly: true },
              name: { type: 'string', nullable: true, enum: ['a', 'b'], example: 'a', xml: { name: 'n' } },
              secret: { type: 'string', writeOnly: true, format: 'weird-format' },
              owner: { allOf: [{ $ref: '#/components/schemas/Owner' }], nullable: true, deprecated: true, externalDocs: { url: 'https://example.com' } },
              example: { type: 'integer' },
            },
            discriminator: { propertyName: 'name' },
          },
          Owner: { type: 'object', required: ['accountId'], properties: { accountId: { type: 'string' } } },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'jira-platform-v3.json'), JSON.stringify(spec));
    process.env.ATLASSIAN_OPENAPI_DIR = dir;
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.ATLASSIAN_OPENAPI_DIR;
    else process.env.ATLASSIAN_OPENAPI_DIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is found through ATLASSIAN_OPENAPI_DIR', () => {
    const c = OpenApiContract.load();
    expect(c).not.toBe(contract);
    expect(c.dir).toBe(path.resolve(dir));
    expect(c.findOperation('jira', 'POST', '/rest/api/3/broken')?.operationId).toBe('broken');
  });

  it('reports broken schemas instead of passing silently', () => {
    const c = OpenApiContract.load();
    const req = c.validateRequest('jira', 'POST', '/rest/api/3/broken', { a: 1 }).issues;
    expect(req).toHaveLength(1);
    expect(req[0].message).toMatch(/is broken: .*unresolvable \$ref #\/components\/schemas\/Missing/);
    const res = c.validateResponse('jira', 'POST', '/rest/api/3/broken', 200, {});
    expect(res).toHaveLength(1);
    expect(res[0].message).toMatch(/is broken: .*#\/components\/schemas\/BadType/);
  });

  it('handles nullable, readOnly/writeOnly required, unknown formats, range and default responses', () => {
    const c = OpenApiContract.load();
    const url = '/rest/api/3/thing/7';
    // id is readOnly → not required in a request; secret is writeOnly → required in a request.
    expect(c.validateRequest('jira', 'PUT', url, { name: null, secret: 's', owner: null, example: 1 }).issues).toEqual([]);
    expect(c.validateRequest('jira', 'PUT', url, { name: 'a', owner: { accountId: 'x' } }).issues.map((i) => i.message)).toEqual([
      "PUT /rest/api/3/thing/{thingId}: (root) must have required property 'secret'",
    ]);
    expect(c.validateRequest('jira', 'PUT', url, { name: 'c', secret: 's' }).issues[0].message).toMatch(/\/name must be equal to one of the allowed values: "a", "b", null/);
    expect(c.validateRequest('jira', 'PUT', '/rest/api/3/thing/x', { name: 'a', secret: 's' }).issues).toEqual([
      { where: 'path', message: `path parameter 'thingId' = "x": must be integer` },
    ]);
    // Responses: id required, secret not; 201 falls into 2XX; 500 into default (no body documented).
    expect(c.validateResponse('jira', 'PUT', url, 201, { id: '1', name: 'b' })).toEqual([]);
    expect(c.validateResponse('jira', 'PUT', url, 200, { name: 'b' })[0].message).toMatch(/must have required property 'id'/);
    expect(c.validateResponse('jira', 'PUT', url, 500, { errorMessages: ['boom'] })).toEqual([]);
  });
});

describe('spec errata', () => {
  const contract = OpenApiContract.load();
  const link = { id: 10000, self: 'https://site/rest/api/3/issue/INC-1/remotelink/10000', object: { url: 'https://wiki/page', title: 'Postmortem' } };

  it('validates each element of a remote-link list against the documented single-link schema', () => {
    expect(contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1/remotelink', 200, [link, link])).toEqual([]);
    const issues = contract.validateResponse('jira', 'GET', '/rest/api/3/issue/INC-1/remotelink', 200, [link, { ...link, id: 'ten' }]);
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/^\[1\] /);
  });
});
