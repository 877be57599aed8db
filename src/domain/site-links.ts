/**
 * Links the app offers or opens. A URL read from stored or user-written data (issue properties, page text,
 * storage written before this rule) is never offered as it is: links are rebuilt from ids against the site
 * the platform names in the invocation context (`context.siteUrl`), or kept only when they are a URL of that
 * very site. `javascript:`, `data:` and off-site addresses never reach a user's click.
 */

/** The origin of the platform's site URL, or undefined when it is not an http(s) URL. */
function originOf(siteUrl: string): string | undefined {
  try {
    const u = new URL(siteUrl);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `url` when it is an absolute URL on the same origin as `siteUrl` (so https exactly when the site is:
 * Atlassian Cloud sites always are; the local site runs on http://localhost), else undefined.
 */
export function sameSiteUrl(url: unknown, siteUrl: string): string | undefined {
  if (typeof url !== 'string' || url.length > 2048) return undefined;
  const origin = originOf(siteUrl);
  if (!origin) return undefined;
  try {
    const u = new URL(url);
    return u.origin === origin && !u.username && !u.password ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A Confluence page of this site, from its id alone. */
export function pageLink(siteUrl: string, pageId: string): string | undefined {
  const origin = originOf(siteUrl);
  return origin && /^[\w-]{1,100}$/.test(pageId) ? `${origin}/wiki/pages/${pageId}` : undefined;
}
