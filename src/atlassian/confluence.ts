/** A thin typed client over Confluence Cloud REST (v2, and v1 where v2 has no equivalent). */
import api, { route } from '@forge/api';
import { sendJson, AtlassianError, type Requester } from './request';

export interface PageSummary { id: string; title: string; spaceId: string; status: string; version: { number: number }; _links?: { webui?: string } }
export interface SpaceSummary { id: string; key: string; name: string; homepageId?: string }
export interface PageProperty<T> { id: string; key: string; value: T; version: { number: number } }

const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body) });

export class ConfluenceClient {
  private constructor(private readonly request: Requester) {}

  static asUser(): ConfluenceClient {
    return new ConfluenceClient((path, init) => api.asUser().requestConfluence(path, init));
  }

  static asApp(): ConfluenceClient {
    return new ConfluenceClient((path, init) => api.asApp().requestConfluence(path, init));
  }

  async getPage(id: string): Promise<PageSummary> {
    return sendJson<PageSummary>(this.request, route`/wiki/api/v2/pages/${id}`);
  }

  /** The page with its ADF body. */
  async getPageWithBody(id: string): Promise<PageSummary & { adf: unknown }> {
    const page = await sendJson<PageSummary & { body?: { atlas_doc_format?: { value?: string } } }>(this.request, route`/wiki/api/v2/pages/${id}?body-format=atlas_doc_format`);
    const raw = page.body?.atlas_doc_format?.value;
    return { ...page, adf: raw ? JSON.parse(raw) : null };
  }

  async getSpace(id: string): Promise<SpaceSummary> {
    return sendJson<SpaceSummary>(this.request, route`/wiki/api/v2/spaces/${id}`);
  }

  async findSpaceByKey(key: string): Promise<SpaceSummary | undefined> {
    const out = await sendJson<{ results: SpaceSummary[] }>(this.request, route`/wiki/api/v2/spaces?keys=${key}`);
    return out.results[0];
  }

  /** The current page with this title in the space, if any (titles are unique per space). */
  async findPageByTitle(spaceId: string, title: string): Promise<PageSummary | undefined> {
    const out = await sendJson<{ results: PageSummary[] }>(this.request, route`/wiki/api/v2/pages?space-id=${spaceId}&title=${title}&status=current`);
    return out.results[0];
  }

  async createPage(input: { spaceId: string; title: string; adf: unknown; parentId?: string }): Promise<PageSummary> {
    return sendJson<PageSummary>(
      this.request,
      route`/wiki/api/v2/pages`,
      json('POST', {
        spaceId: input.spaceId,
        status: 'current',
        title: input.title,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        body: { representation: 'atlas_doc_format', value: JSON.stringify(input.adf) },
      }),
    );
  }

  async findProperty<T>(pageId: string, key: string): Promise<PageProperty<T> | undefined> {
    const out = await sendJson<{ results: PageProperty<T>[] }>(this.request, route`/wiki/api/v2/pages/${pageId}/properties?key=${key}`);
    return out.results.find((p) => p.key === key);
  }

  async createProperty<T>(pageId: string, key: string, value: T): Promise<PageProperty<T>> {
    return sendJson<PageProperty<T>>(this.request, route`/wiki/api/v2/pages/${pageId}/properties`, json('POST', { key, value }));
  }

  /** Writes the next version; Confluence answers 409 when `version` is not exactly current + 1 (someone saved in between). */
  async updateProperty<T>(pageId: string, property: { id: string; key: string }, value: T, version: number): Promise<PageProperty<T>> {
    return sendJson<PageProperty<T>>(
      this.request,
      route`/wiki/api/v2/pages/${pageId}/properties/${property.id}`,
      json('PUT', { key: property.key, value, version: { number: version, message: 'Postmortem Follow-Through' } }),
    );
  }

  /** Whether this user may do `operation` on the content (v1 permission check). */
  async hasContentPermission(contentId: string, accountId: string, operation: 'read' | 'update'): Promise<boolean> {
    const out = await sendJson<{ hasPermission: boolean }>(
      this.request,
      route`/wiki/rest/api/content/${contentId}/permission/check`,
      json('POST', { subject: { type: 'user', identifier: accountId }, operation }),
    );
    return out.hasPermission;
  }

  async addLabels(pageId: string, labels: string[]): Promise<void> {
    await sendJson(this.request, route`/wiki/rest/api/content/${pageId}/label`, json('POST', labels.map((name) => ({ prefix: 'global', name }))));
  }
}

export const isConflict = (e: unknown): boolean => e instanceof AtlassianError && e.status === 409;
