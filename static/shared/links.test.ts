/** The Custom UI's one gate for hrefs built from data (static/shared/links.ts): Preact renders any URL it is given. */
import { expect, it } from '@jest/globals';
import { safeUrl } from './links';

it('passes http(s) and relative URLs unchanged', () => {
  for (const u of ['https://example.atlassian.net/wiki/x', 'http://localhost:3000/jira/browse/A-1', 'HTTPS://EXAMPLE.ATLASSIAN.NET/', '/wiki/pages/1', 'browse/A-1', '?q=1#top', '#section', '//example.atlassian.net/wiki']) expect(safeUrl(u)).toBe(u);
});

it('refuses every other scheme, however it is disguised', () => {
  for (const u of [
    'javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)', '\u0001javascript:alert(1)', 'jAvAsCrIpT:alert(1)',
    'data:text/html,<script>x</script>', 'vbscript:x', 'blob:https://x/1', 'file:///etc/passwd', 'mailto:a@example.com', 'ftp://example.com/x', 'chrome://settings',
  ]) {
    expect([u, safeUrl(u)]).toEqual([u, undefined]);
  }
});

it('refuses what is not a URL string at all', () => {
  for (const u of ['', '   ', '\t\n', undefined, null, 42, {}, ['https://x.test'], new URL('https://x.test')]) expect([u, safeUrl(u)]).toEqual([u, undefined]);
});

it('refuses text that does not parse as a URL', () => {
  expect(safeUrl('http://[::1')).toBeUndefined();
  expect(safeUrl('https://exa mple.com')).toBeUndefined();
});
