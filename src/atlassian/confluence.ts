/** A thin typed client over Confluence Cloud REST (v2, and v1 where v2 has no equivalent). */
import api, { route } from '@forge/api';
import { jsonRequest, AtlassianError, type JsonRequest, type Requester } from './request';

export interface PageSummary { id: string; title: string; spaceId: string; status: string; version: { number: number }; _links?: { webui?: string } }
export interface SpaceSummary { id: string; key: string; name: string; homepageId?: string }
export interface PageProperty<T> { id: string; key: string; value: T; version: { number: number } }

const jsonBody = (body: unknown) => ({ body: JSON.stringify(body) });
/** A v2 `include-*` block of a page (`include-properties`, `include-operations`): its first results. */
type Block<R> = { results?: R[]; meta?: { hasMore?: boolean } };

/** A page's address on the site: Confluence's own link (`_links.webui`) when known, else the id form. */
export function pageUrl(siteUrl: string, pageId: string, webui?: string): string {
  return webui ? `${siteUrl}/wiki${webui}` : `${siteUrl}/wiki/pages/${pageId}`;
}

export class ConfluenceClient {
  /** Every REST call goes through this, as `this.requestConfluence(route`...`, { method })` (see JsonRequest). */
  private readonly requestConfluence: JsonRequest;

  private constructor(request: Requester) {
    this.requestConfluence = jsonRequest(request);
  }

  static asUser(): ConfluenceClient {
    return new ConfluenceClient((path, init) => api.asUser().requestConfluence(path, init));
  }

  static asApp(): ConfluenceClient {
    return new ConfluenceClient((path, init) => api.asApp().requestConfluence(path, init));
  }

  async getPage(id: string): Promise<PageSummary> {
    return this.requestConfluence<PageSummary>(route`/wiki/api/v2/pages/${id}`);
  }

  /**
   * The page, whether the caller may edit it, and one of its properties, in one request: v2's `include-operations`
   * lists the operations permitted to the caller (as `GET /pages/{id}/operations`), `include-properties` the first
   * 50 properties (confluence-v2.json). Only when the page has more than 50 and the key is not among them is the
   * property read on its own.
   */
  async getPageForEditing<T>(id: string, propertyKey: string): Promise<{ page: PageSummary; canEdit: boolean; property: PageProperty<T> | undefined }> {
    const page = await this.requestConfluence<PageSummary & { operations?: Block<{ operation?: string; targetType?: string }>; properties?: Block<PageProperty<T>> }>(
      route`/wiki/api/v2/pages/${id}?include-operations=true&include-properties=true`,
    );
    const canEdit = (page.operations?.results ?? []).some((o) => o.operation === 'update' && o.targetType === 'page');
    const property = await this.includedProperty(id, page.properties, propertyKey);
    const { operations: _operations, properties: _properties, ...summary } = page;
    return { page: summary, canEdit, property };
  }

  /** The page and one of its properties in one request (`include-properties`: the first 50; past them, the property is read on its own). */
  async getPageWithProperty<T>(id: string, propertyKey: string): Promise<{ page: PageSummary; property: PageProperty<T> | undefined }> {
    const page = await this.requestConfluence<PageSummary & { properties?: Block<PageProperty<T>> }>(route`/wiki/api/v2/pages/${id}?include-properties=true`);
    const property = await this.includedProperty(id, page.properties, propertyKey);
    const { properties: _properties, ...summary } = page;
    return { page: summary, property };
  }

  /** The property from a page's `include-properties` block, or read on its own when the block may not hold it. */
  private async includedProperty<T>(id: string, included: Block<PageProperty<T>> | undefined, propertyKey: string): Promise<PageProperty<T> | undefined> {
    return included?.results?.find((p) => p.key === propertyKey) ?? (included?.meta?.hasMore || !included ? await this.findProperty<T>(id, propertyKey) : undefined);
  }

  /** The page with its ADF body. */
  async getPageWithBody(id: string): Promise<PageSummary & { adf: unknown }> {
    const page = await this.requestConfluence<PageSummary & { body?: { atlas_doc_format?: { value?: string } } }>(route`/wiki/api/v2/pages/${id}?body-format=atlas_doc_format`);
    const raw = page.body?.atlas_doc_format?.value;
    return { ...page, adf: raw ? JSON.parse(raw) : null };
  }

  /** Of these page ids (at most 250), the pages the caller may see: Confluence leaves out the others. */
  async pagesByIds(ids: string[]): Promise<PageSummary[]> {
    const params = new URLSearchParams({ id: ids.join(','), limit: String(ids.length) });
    const out = await this.requestConfluence<{ results: PageSummary[] }>(route`/wiki/api/v2/pages?${params}`);
    return out.results;
  }

  async getSpace(id: string): Promise<SpaceSummary> {
    return this.requestConfluence<SpaceSummary>(route`/wiki/api/v2/spaces/${id}`);
  }

  /** The spaces the caller can see, by name (the first 250). */
  async listSpaces(): Promise<SpaceSummary[]> {
    const params = new URLSearchParams({ limit: '250', sort: 'name' });
    return (await this.requestConfluence<{ results: SpaceSummary[] }>(route`/wiki/api/v2/spaces?${params}`)).results;
  }

  async findSpaceByKey(key: string): Promise<SpaceSummary | undefined> {
    const out = await this.requestConfluence<{ results: SpaceSummary[] }>(route`/wiki/api/v2/spaces?keys=${key}`);
    return out.results[0];
  }

  /** The current page with this title in the space, if any (titles are unique per space). */
  async findPageByTitle(spaceId: string, title: string): Promise<PageSummary | undefined> {
    const out = await this.requestConfluence<{ results: PageSummary[] }>(route`/wiki/api/v2/pages?space-id=${spaceId}&title=${title}&status=current`);
    return out.results[0];
  }

  async createPage(input: { spaceId: string; title: string; adf: unknown; parentId?: string }): Promise<PageSummary> {
    return this.requestConfluence<PageSummary>(route`/wiki/api/v2/pages`,
      { method: 'POST', ...jsonBody({
        spaceId: input.spaceId,
        status: 'current',
        title: input.title,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        body: { representation: 'atlas_doc_format', value: JSON.stringify(input.adf) },
      }) },
    );
  }

  /** Replaces the page's title and body as the next version (Confluence answers 409 when `version` is not current + 1). */
  async updatePage(input: { id: string; title: string; adf: unknown; version: number; message?: string }): Promise<PageSummary> {
    return this.requestConfluence<PageSummary>(route`/wiki/api/v2/pages/${input.id}`,
      { method: 'PUT', ...jsonBody({
        id: input.id,
        status: 'current',
        title: input.title,
        body: { representation: 'atlas_doc_format', value: JSON.stringify(input.adf) },
        version: { number: input.version, message: input.message ?? 'Postmortem Follow-Through' },
      }) },
    );
  }

  async findProperty<T>(pageId: string, key: string): Promise<PageProperty<T> | undefined> {
    const out = await this.requestConfluence<{ results: PageProperty<T>[] }>(route`/wiki/api/v2/pages/${pageId}/properties?key=${key}`);
    return out.results.find((p) => p.key === key);
  }

  async createProperty<T>(pageId: string, key: string, value: T): Promise<PageProperty<T>> {
    return this.requestConfluence<PageProperty<T>>(route`/wiki/api/v2/pages/${pageId}/properties`, { method: 'POST', ...jsonBody({ key, value }) });
  }

  /** Writes the next version; Confluence answers 409 when `version` is not exactly current + 1 (someone saved in between). */
  async updateProperty<T>(pageId: string, property: { id: string; key: string }, value: T, version: number): Promise<PageProperty<T>> {
    return this.requestConfluence<PageProperty<T>>(route`/wiki/api/v2/pages/${pageId}/properties/${property.id}`,
      { method: 'PUT', ...jsonBody({ key: property.key, value, version: { number: version, message: 'Postmortem Follow-Through' } }) },
    );
  }

  /** Whether this user (or group: `subjectType`) may do `operation` on the content (v1 permission check). */
  async hasContentPermission(contentId: string, accountId: string, operation: 'read' | 'update', subjectType: 'user' | 'group' = 'user'): Promise<boolean> {
    const out = await this.requestConfluence<{ hasPermission: boolean }>(route`/wiki/rest/api/content/${contentId}/permission/check`,
      { method: 'POST', ...jsonBody({ subject: { type: subjectType, identifier: accountId }, operation }) },
    );
    return out.hasPermission;
  }

  /** Who may read the space: the principals of its `read` space permission (v2, every page of assignments). */
  async spaceReaders(spaceId: string): Promise<{ type: string; id: string }[]> {
    const out: { type: string; id: string }[] = [];
    let cursor: string | undefined;
    do {
      const params = new URLSearchParams({ limit: '250', ...(cursor ? { cursor } : {}) });
      const page = await this.requestConfluence<{ results: { principal?: { type?: string; id?: string }; operation?: { key?: string; targetType?: string } }[]; _links?: { next?: string } }>(route`/wiki/api/v2/spaces/${spaceId}/permissions?${params}`);
      for (const a of page.results) if (a.operation?.key === 'read' && a.operation.targetType === 'space' && a.principal?.type && a.principal.id) out.push({ type: a.principal.type, id: a.principal.id });
      cursor = page._links?.next ? (new URLSearchParams(page._links.next.split('?')[1] ?? '').get('cursor') ?? undefined) : undefined;
    } while (cursor);
    return out;
  }

  async addLabels(pageId: string, labels: string[]): Promise<void> {
    await this.requestConfluence(route`/wiki/rest/api/content/${pageId}/label`, { method: 'POST', ...jsonBody(labels.map((name) => ({ prefix: 'global', name }))) });
  }
}

export const isConflict = (e: unknown): boolean => e instanceof AtlassianError && e.status === 409;
