/**
 * Stored records → the JSON Confluence sends (v2 `PageBulk`/`PageSingle`, `SpaceBulk`, `ContentProperty`,
 * `Label`; v1 `LabelArray`, `User`). Optional fields whose value would be null in the spec's
 * non-nullable types (e.g. a root page's `parentId`) are left out rather than sent as null.
 */
import type { ConfluencePage, ConfluenceProperty, ConfluenceSpace, SiteState, SiteUser } from '../state/types';
import type { SiteResponse } from '../http/types';

// ---------- links ----------

/** Confluence's tiny-link code: the id's little-endian bytes, base64, trailing 'A'/'=' trimmed, URL-safe. */
export function tinyCode(id: string): string {
  let n = BigInt(id);
  const bytes: number[] = [];
  for (let i = 0; i < 8; i++) {
    bytes.push(Number(n & 0xffn));
    n >>= 8n;
  }
  return Buffer.from(bytes)
    .toString('base64')
    .replace(/=+$/, '')
    .replace(/A+$/, '')
    .replace(/\//g, '-')
    .replace(/\+/g, '_');
}

const titleSlug = (title: string): string => encodeURIComponent(title).replace(/%20/g, '+');

export function pageLinks(space: ConfluenceSpace | undefined, page: ConfluencePage): { webui: string; editui: string; tinyui: string } {
  const key = space?.key ?? '~';
  return {
    webui: `/spaces/${key}/pages/${page.id}/${titleSlug(page.title)}`,
    editui: `/pages/resumedraft.action?draftId=${page.id}`,
    tinyui: `/x/${tinyCode(page.id)}`,
  };
}

// ---------- bodies ----------

export const V2_BULK_BODY_FORMATS = ['storage', 'atlas_doc_format'] as const;
export const V2_SINGLE_BODY_FORMATS = ['storage', 'atlas_doc_format', 'view', 'export_view', 'anonymous_export_view', 'styled_view', 'editor'] as const;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

type Node = { type?: string; text?: string; attrs?: Record<string, unknown>; marks?: { type: string; attrs?: Record<string, unknown> }[]; content?: Node[] };

/** A small ADF → XHTML (storage/view) rendering covering the nodes the site's content uses. */
export function adfToHtml(adf: unknown, storage: boolean): string {
  const children = (n: Node): string => (n.content ?? []).map(render).join('');
  const render = (n: Node): string => {
    switch (n.type) {
      case 'doc': return children(n);
      case 'text': {
        let out = esc(n.text ?? '');
        for (const m of n.marks ?? []) {
          if (m.type === 'strong') out = `<strong>${out}</strong>`;
          else if (m.type === 'em') out = `<em>${out}</em>`;
          else if (m.type === 'code') out = `<code>${out}</code>`;
          else if (m.type === 'strike') out = `<s>${out}</s>`;
          else if (m.type === 'underline') out = `<u>${out}</u>`;
          else if (m.type === 'link') out = `<a href="${esc(String(m.attrs?.href ?? ''))}">${out}</a>`;
        }
        return out;
      }
      case 'paragraph': return `<p>${children(n)}</p>`;
      case 'heading': return `<h${Number(n.attrs?.level ?? 1)}>${children(n)}</h${Number(n.attrs?.level ?? 1)}>`;
      case 'bulletList': return `<ul>${children(n)}</ul>`;
      case 'orderedList': return `<ol>${children(n)}</ol>`;
      case 'listItem': return `<li>${children(n)}</li>`;
      case 'blockquote': return `<blockquote>${children(n)}</blockquote>`;
      case 'rule': return '<hr />';
      case 'hardBreak': return '<br />';
      case 'table': return `<table><tbody>${children(n)}</tbody></table>`;
      case 'tableRow': return `<tr>${children(n)}</tr>`;
      case 'tableHeader': return `<th>${children(n)}</th>`;
      case 'tableCell': return `<td>${children(n)}</td>`;
      case 'codeBlock': {
        const code = (n.content ?? []).map((c) => c.text ?? '').join('');
        return storage
          ? `<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[${code}]]></ac:plain-text-body></ac:structured-macro>`
          : `<pre>${esc(code)}</pre>`;
      }
      case 'panel': {
        const kind = String(n.attrs?.panelType ?? 'info');
        return storage
          ? `<ac:structured-macro ac:name="${esc(kind)}"><ac:rich-text-body>${children(n)}</ac:rich-text-body></ac:structured-macro>`
          : `<div class="confluence-information-macro confluence-information-macro-${esc(kind)}">${children(n)}</div>`;
      }
      default: return children(n);
    }
  };
  return adf && typeof adf === 'object' ? render(adf) : '';
}

/** The `body` object for the requested representation (`{}` when none was asked for, as Confluence does). */
export function renderBody(page: ConfluencePage, format: string | undefined): Record<string, { representation: string; value: string }> {
  switch (format) {
    case undefined: return {};
    case 'atlas_doc_format': return { atlas_doc_format: { representation: 'atlas_doc_format', value: JSON.stringify(page.body) } };
    case 'storage':
    case 'editor': return { [format]: { representation: format, value: adfToHtml(page.body, true) } };
    default: return { [format]: { representation: format, value: adfToHtml(page.body, false) } };
  }
}

// ---------- v2 records ----------

export function renderVersion(v: { number: number; createdAt: string; authorId: string; message?: string }): Record<string, unknown> {
  return { createdAt: v.createdAt, message: v.message ?? '', number: v.number, minorEdit: false, authorId: v.authorId };
}

export function renderSpace(state: SiteState, space: ConfluenceSpace): Record<string, unknown> {
  const home = state.confluence.pages.find((p) => p.id === space.homepageId);
  const authorId = home?.authorId ?? Object.keys(space.access).find((id) => space.access[id] === 'admin');
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: 'global',
    status: 'current',
    ...(authorId ? { authorId } : {}),
    createdAt: home?.createdAt ?? new Date(0).toISOString(),
    homepageId: space.homepageId,
    _links: { webui: `/spaces/${space.key}` },
  };
}

export interface PageRenderOptions {
  bodyFormat?: string;
  includeVersion?: boolean;
}

export function renderPage(state: SiteState, page: ConfluencePage, opts: PageRenderOptions = {}): Record<string, unknown> {
  const space = state.confluence.spaces.find((s) => s.id === page.spaceId);
  const siblings = state.confluence.pages.filter((p) => p.spaceId === page.spaceId && p.parentId === page.parentId && p.status !== 'trashed');
  return {
    id: page.id,
    status: page.status,
    title: page.title,
    spaceId: page.spaceId,
    ...(page.parentId ? { parentId: page.parentId, parentType: 'page' } : {}),
    position: Math.max(0, siblings.findIndex((p) => p.id === page.id)),
    authorId: page.authorId,
    ownerId: page.authorId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    ...(opts.includeVersion === false ? {} : { version: renderVersion(page.version) }),
    body: renderBody(page, opts.bodyFormat),
    _links: pageLinks(space, page),
  };
}

export function renderProperty(prop: ConfluenceProperty): Record<string, unknown> {
  return { id: prop.id, key: prop.key, value: prop.value, version: renderVersion(prop.version) };
}

export function renderLabel(label: ConfluencePage['labels'][number]): Record<string, unknown> {
  return { id: label.id, name: label.name, prefix: label.prefix };
}

// ---------- v1 ----------

export function renderLabelV1(label: ConfluencePage['labels'][number]): Record<string, unknown> {
  return { prefix: label.prefix, name: label.name, id: label.id, label: label.name };
}

export function renderLabelArrayV1(contentId: string, labels: ConfluencePage['labels'], start: number, limit: number): Record<string, unknown> {
  const slice = labels.slice(start, start + limit);
  return {
    results: slice.map(renderLabelV1),
    start,
    limit,
    size: slice.length,
    _links: { self: `/wiki/rest/api/content/${contentId}/label`, context: '/wiki' },
  };
}

export function renderUserV1(user: SiteUser): Record<string, unknown> {
  return {
    type: 'known',
    accountId: user.accountId,
    accountType: 'atlassian',
    email: user.emailAddress,
    publicName: user.displayName,
    profilePicture: { path: `/wiki/aa-avatar/${user.accountId}`, width: 48, height: 48, isDefault: true },
    displayName: user.displayName,
    timeZone: user.timeZone,
    isExternalCollaborator: false,
    externalCollaborator: false,
    _expandable: { operations: '', personalSpace: '' },
    _links: { self: `/wiki/rest/api/user?accountId=${encodeURIComponent(user.accountId)}`, context: '/wiki' },
  };
}

/** v1 endpoints answer errors in the older shape. */
export function v1Error(status: number, message: string): SiteResponse {
  return {
    status,
    body: { statusCode: status, data: { authorized: status !== 401 && status !== 403, valid: status !== 400, errors: [], successful: false }, message },
  };
}
