/** The Custom UI's one gate for hrefs built from data (static/shared/links.ts): Preact renders any URL it is given. */
import { safeUrl } from '../static/shared/links';

it('passes http(s) and relative URLs unchanged', () => {
  for (const u of ['https://example.atlassian.net/wiki/x', 'http://localhost:3000/jira/browse/A-1', '/wiki/pages/1', 'browse/A-1', '?q=1#top']) expect(safeUrl(u)).toBe(u);
});

it('refuses every other scheme, however it is disguised', () => {
  for (const u of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', 'blob:https://x/1', '', '   ', undefined, null, 42, {}]) {
    expect([u, safeUrl(u)]).toEqual([u, undefined]);
  }
});
