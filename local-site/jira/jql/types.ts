import type { JiraIssue, JiraState, SiteUser } from '../../state/types';

/**
 * A JQL query Jira would answer with 400. `errorMessages` is what goes into the response body
 * (`{ errorMessages, errors: {} }`), worded like Jira's own messages so apps see familiar text.
 */
export class JqlError extends Error {
  constructor(public readonly errorMessages: string[]) {
    super(errorMessages.join(' '));
    this.name = 'JqlError';
  }
}

/** One `searchAlias` declared by a `jira:entityProperty` module (values[].path/type of a property key). */
export interface EntityPropertyAlias {
  alias: string;
  propertyKey: string;
  /** Dot path into the property's JSON value, e.g. `pageId` or `owner.accountId`. */
  path: string;
  type: 'number' | 'string' | 'text' | 'user' | 'date';
}

export interface JqlContext {
  /** Statuses, priorities, projects, issue types, resolutions, custom fields... */
  state: JiraState;
  users: SiteUser[];
  /** The site clock: relative dates (`-14d`) and now()/startOfDay() are computed from it. */
  now: Date;
  /** accountId behind currentUser(); undefined when acting as the app (then currentUser() matches nobody). */
  currentUser?: string;
  /** Search aliases declared by the app's entity property modules: only these properties are indexed. */
  aliases: EntityPropertyAlias[];
  /** IANA zone for date-only values and startOfDay() etc.; defaults to 'UTC'. */
  timeZone?: string;
}

export interface CompiledJql {
  matches(issue: JiraIssue): boolean;
  /** Array.prototype.sort comparator implementing ORDER BY (plus the default order and id tiebreak). */
  compare(a: JiraIssue, b: JiraIssue): number;
}
