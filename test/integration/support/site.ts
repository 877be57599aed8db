/**
 * Starts the local site for an integration test: in memory, strict OpenAPI contract, SDK globals installed.
 * After each test nothing may have broken the REST contract or hit an endpoint the site does not serve.
 */
import { LocalSite, type LocalSiteOptions } from '../../../local-site/site';

export function useLocalSite(options: LocalSiteOptions = {}): () => LocalSite {
  let site: LocalSite | undefined;
  beforeEach(() => {
    site = new LocalSite({ stateFile: null, ...options }).install();
  });
  afterEach(() => {
    const s = site!;
    s.close();
    expect(s.unservedRequests).toEqual([]);
    expect(s.contractViolations).toEqual([]);
  });
  return () => site!;
}
