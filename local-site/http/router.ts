import type { Route, RouteContext, SiteRequest, SiteResponse } from './types';
import type { SiteState } from '../state/types';

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
  /** Literal characters in the template: more literal = more specific, tried first. */
  specificity: number;
}

/** Matches OpenAPI-style path templates (`/issue/{issueIdOrKey}/comment`) to handlers. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(routes: Route[] = []) {
    this.add(routes);
  }

  add(routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const pattern = route.template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (m) {
            names.push(m[1]);
            return '([^/]+)';
          }
          return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      const specificity = route.template.replace(/\{[^}]+\}/g, '').length;
      this.routes.push({ ...route, method: route.method.toUpperCase(), regex: new RegExp(`^${pattern}/?$`), names, specificity });
    }
    this.routes.sort((a, b) => b.specificity - a.specificity);
    return this;
  }

  /** The route and its decoded path parameters, or undefined when nothing matches the method and path. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1]);
      });
      return { route, params };
    }
    return undefined;
  }

  /** True when some route serves this path with another method (so the answer is 405, not 404). */
  hasPath(path: string): boolean {
    return this.routes.some((r) => r.regex.test(path));
  }

  async handle(req: SiteRequest, state: SiteState, now: () => Date): Promise<SiteResponse | undefined> {
    const found = this.match(req.method, req.path);
    if (!found) return undefined;
    const ctx: RouteContext = { req, params: found.params, state, now };
    return found.route.handler(ctx);
  }
}
