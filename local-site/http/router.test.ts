import { Router } from './router';

describe('Router', () => {
  const router = new Router([
    { method: 'GET', template: '/rest/api/3/issue/{issueIdOrKey}', handler: () => ({ status: 200, body: 'issue' }) },
    { method: 'GET', template: '/rest/api/3/issue/createmeta', handler: () => ({ status: 200, body: 'meta' }) },
    { method: 'POST', template: '/rest/api/3/issue/{issueIdOrKey}/comment', handler: () => ({ status: 201 }) },
  ]);

  it('prefers the literal route over the template', () => {
    expect(router.match('GET', '/rest/api/3/issue/createmeta')?.route.template).toBe('/rest/api/3/issue/createmeta');
    expect(router.match('GET', '/rest/api/3/issue/INC-1')?.params).toEqual({ issueIdOrKey: 'INC-1' });
  });

  it('decodes parameters and tells a wrong method from an unknown path', () => {
    expect(router.match('POST', '/rest/api/3/issue/INC%2D2/comment')?.params.issueIdOrKey).toBe('INC-2');
    expect(router.match('DELETE', '/rest/api/3/issue/INC-1')).toBeUndefined();
    expect(router.hasPath('/rest/api/3/issue/INC-1')).toBe(true);
    expect(router.hasPath('/rest/api/3/nothing')).toBe(false);
  });
});
