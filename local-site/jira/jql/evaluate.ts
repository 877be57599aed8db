import type { JiraCustomField, JiraFilter, JiraIssue, SiteUser } from '../../state/types';
import { JqlError, type EntityPropertyAlias, type JqlContext } from './types';
import { parse, type FieldRef, type Node, type Operand, type Operator, type SortTerm } from './parser';
import { findIssue } from '../issues';
import { DATE_FUNCTIONS, dayOf, evalDateFunction, fromWallClock, parseDateLiteral } from './dates';

/*
 * Each field is described by a Handler: how to read its values off an issue, how to turn a JQL
 * operand into values of the same kind, and which operators it accepts. Clause semantics are then
 * written once, for all fields (see compileClause). Values are normalised so that === is equality
 * (lower-cased where Jira is case-insensitive); datetime equality is to the minute.
 */

type Scalar = string | number;
type SortKey = Scalar | Scalar[] | null;
export type Predicate = (issue: JiraIssue) => boolean;

interface Handler {
  ops: ReadonlySet<Operator>;
  /** The field's values on an issue; [] means EMPTY. */
  get(issue: JiraIssue): Scalar[];
  /** Values a single operand (value or function, never EMPTY or a list) stands for; throws JqlError. */
  resolve(operand: ValueOperand, op: Operator): Scalar[];
  /** Defaults to ===. */
  eq?(a: Scalar, b: Scalar): boolean;
  /** For < <= > >=; undefined = not comparable (never matches). */
  cmp?(a: Scalar, b: Scalar): number | undefined;
  /** For ~ and !~: the searchable text, or null when empty. */
  text?(issue: JiraIssue): string | null;
  /** For ORDER BY; null = EMPTY. Absent = not sortable. */
  sort?(issue: JiraIssue): SortKey;
  /** Values that mean EMPTY for this field (resolution = Unresolved). */
  emptyValue?(operand: ValueOperand): boolean;
}

type ValueOperand = Extract<Operand, { kind: 'value' | 'function' }>;

const EQUALITY: Operator[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORDERING: Operator[] = [...EQUALITY, '<', '<=', '>', '>='];
const TEXT: Operator[] = ['~', '!~', 'is', 'is not'];
const ops = (...lists: Operator[][]): ReadonlySet<Operator> => new Set(lists.flat());

const MINUTE = 60_000;

/** Real Jira fields the local site has no data for: say so rather than pretend they don't exist. */
const UNSUPPORTED_FIELDS = new Set([
  'affectedversion', 'approvals', 'attachments', 'category', 'component', 'creator', 'environment', 'epiclink',
  'request', 'fixversion', 'hierarchylevel', 'issuelink', 'issuelinktype', 'lastviewed', 'level',
  'originalestimate', 'parent', 'parentproject', 'remainingestimate', 'sprint', 'timespent', 'updatedby', 'voter',
  'votes', 'watcher', 'watchers', 'worklogauthor', 'worklogcomment', 'worklogdate', 'timeoriginalestimate',
  'timeestimate', 'workratio', 'team', 'subtasks', 'statuscategorychangeddate',
  'lastcommentedby', 'project.property', 'issue.property', 'attachment',
]);

/** Real Jira functions the local site does not implement. */
const UNSUPPORTED_FUNCTIONS = new Set([
  'membersof', 'issuehistory', 'linkedissues', 'opensprints', 'closedsprints', 'futuresprints', 'releasedversions',
  'unreleasedversions', 'latestreleasedversion', 'earliestunreleasedversion', 'componentsleadbyuser',
  'projectsleadbyuser', 'projectswhereuserhasrole', 'projectswhereuserhaspermission', 'votedissues', 'watchedissues',
  'updatedby', 'lastlogin', 'currentlogin', 'standardissuetypes', 'subtaskissuetypes', 'cascadeoption', 'issuesWithRemoteLinksByGlobalId'.toLowerCase(),
  'approved', 'approver', 'pending', 'pendingby', 'myapproval', 'myapprovals', 'breached', 'completed', 'running',
  'paused', 'everbreached', 'elapsed', 'remaining', 'startofweekday', 'endofweekday', 'parentepic', 'portfoliochildissuesof',
]);

/** Jira's names for the saved-filter field. */
const SAVED_FILTER_FIELDS = new Set(['filter', 'savedfilter', 'searchrequest', 'request']);

const IMPLEMENTED_FUNCTIONS = new Set<string>(['currentuser', ...DATE_FUNCTIONS]);

const STATUS_CATEGORIES: { key: string; name: string; id: number }[] = [
  { key: 'new', name: 'To Do', id: 2 },
  { key: 'indeterminate', name: 'In Progress', id: 4 },
  { key: 'done', name: 'Done', id: 3 },
];


export class Compiler {
  private readonly timeZone: string;
  private readonly nowMs: number;

  constructor(private readonly ctx: JqlContext) {
    this.timeZone = ctx.timeZone ?? 'UTC';
    this.nowMs = ctx.now.getTime();
  }

  // ---------- WHERE ----------

  compile(node: Node): Predicate {
    switch (node.kind) {
      case 'and': {
        const parts = node.children.map((c) => this.compile(c));
        return (issue) => parts.every((p) => p(issue));
      }
      case 'or': {
        const parts = node.children.map((c) => this.compile(c));
        return (issue) => parts.some((p) => p(issue));
      }
      case 'not': {
        // Plain negation: NOT assignee = x includes unassigned issues (unlike assignee != x).
        const inner = this.compile(node.child);
        return (issue) => !inner(issue);
      }
      case 'clause':
        return this.compileClause(node.field, node.operator, node.operand);
    }
  }

  private compileClause(field: FieldRef, op: Operator, operand: Operand): Predicate {
    if (SAVED_FILTER_FIELDS.has(field.name.toLowerCase())) return this.savedFilterClause(field.name, op, operand);
    const handlers = this.fieldHandlers(field);
    const parts = handlers.map((h) => this.compileFor(h, field.name, op, operand));
    // A custom field name shared by several fields searches all of them, as in Jira.
    return parts.length === 1 ? parts[0] : (issue) => parts.some((p) => p(issue));
  }

  private compileFor(h: Handler, name: string, op: Operator, operand: Operand): Predicate {
    if (!h.ops.has(op)) throw new JqlError([`The operator '${op}' is not supported by the '${name}' field.`]);
    this.checkFunctions(operand);

    if (op === 'is' || op === 'is not') {
      if (operand.kind !== 'empty') {
        throw new JqlError([`The operator '${op}' only supports the EMPTY (or NULL) value; got '${describe(operand)}' for the field '${name}'.`]);
      }
      return op === 'is' ? (issue) => h.get(issue).length === 0 : (issue) => h.get(issue).length > 0;
    }

    if (op === '~' || op === '!~') {
      if (operand.kind === 'list' || operand.kind === 'function' || operand.kind === 'empty') {
        throw new JqlError([`The operator '${op}' only supports a text value for the field '${name}'.`]);
      }
      const test = textMatcher(operand.text, name);
      const text = h.text ?? ((issue: JiraIssue) => h.get(issue).map(String).join(' ') || null);
      // Both require a value: description !~ x does not return issues without a description.
      return op === '~'
        ? (issue) => { const t = text(issue); return t !== null && test(t); }
        : (issue) => { const t = text(issue); return t !== null && !test(t); };
    }

    const isList = op === 'in' || op === 'not in';
    if (operand.kind === 'list' && !isList) {
      throw new JqlError([`The operator '${op}' does not support the list value '${describe(operand)}' for field '${name}'.`]);
    }
    if (isList && operand.kind !== 'list' && operand.kind !== 'function') {
      throw new JqlError([`The operator '${op}' does not support the single value '${describe(operand)}' for field '${name}'. Use a list, e.g. ${name} ${op} (value1, value2).`]);
    }
    const items = operand.kind === 'list' ? operand.items : [operand];
    let matchEmpty = false;
    const targets: Scalar[] = [];
    for (const item of items) {
      if (item.kind === 'empty' || (item.kind !== 'list' && h.emptyValue?.(item))) matchEmpty = true;
      else if (item.kind === 'list') throw new JqlError([`Error in the JQL Query: Lists cannot be nested.`]);
      else targets.push(...h.resolve(item, op));
    }
    const eq = h.eq ?? ((a: Scalar, b: Scalar) => a === b);
    const hit = (values: Scalar[]): boolean => values.some((v) => targets.some((t) => eq(v, t)));

    switch (op) {
      case '=':
      case 'in':
        return (issue) => {
          const values = h.get(issue);
          return values.length === 0 ? matchEmpty : hit(values);
        };
      case '!=':
      case 'not in':
        // Jira: != and NOT IN never return issues where the field is EMPTY (unless you add OR field IS EMPTY);
        // `!= EMPTY` is IS NOT EMPTY.
        return (issue) => {
          const values = h.get(issue);
          return values.length > 0 && !hit(values);
        };
      default: {
        if (matchEmpty) throw new JqlError([`The operator '${op}' does not support the EMPTY value for the field '${name}'.`]);
        const cmp = h.cmp;
        if (!cmp) throw new JqlError([`The operator '${op}' is not supported by the '${name}' field.`]);
        const test = (c: number): boolean => (op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0);
        return (issue) =>
          h.get(issue).some((v) =>
            targets.some((t) => {
              const c = cmp(v, t);
              return c !== undefined && test(c);
            }),
          );
      }
    }
  }

  /** Unknown functions are a query error wherever they appear, as in Jira. */
  private checkFunctions(operand: Operand): void {
    const fns = operand.kind === 'function' ? [operand] : operand.kind === 'list' ? operand.items.filter((i) => i.kind === 'function') : [];
    for (const fn of fns) {
      if (fn.kind !== 'function') continue;
      const lower = fn.name.toLowerCase();
      if (IMPLEMENTED_FUNCTIONS.has(lower)) continue;
      if (UNSUPPORTED_FUNCTIONS.has(lower)) throw new JqlError([`The JQL function '${fn.name}' is not supported by the local site.`]);
      throw new JqlError([`Unable to find JQL function '${fn.name}(${fn.args.join(', ')})'.`]);
    }
  }

  // ---------- ORDER BY ----------

  compileSort(terms: SortTerm[] | undefined): (a: JiraIssue, b: JiraIssue) => number {
    const seen = new Set<string>();
    const keys: { key: (issue: JiraIssue) => SortKey; desc: boolean }[] = [];
    // Without ORDER BY: newest first, key descending as a stable secondary (documented choice).
    const effective: SortTerm[] = terms ?? [
      { field: { name: 'created', pos: 0 }, direction: 'desc' },
      { field: { name: 'key', pos: 0 }, direction: 'desc' },
    ];
    for (const term of effective) {
      const handlers = this.fieldHandlers(term.field);
      const sort = handlers[0].sort;
      if (!sort) throw new JqlError([`Field '${term.field.name}' does not support sorting.`]);
      const id = term.field.name.toLowerCase();
      if (seen.has(id)) throw new JqlError([`The sort field '${term.field.name}' is referenced multiple times in the JQL sort.`]);
      seen.add(id);
      keys.push({ key: sort, desc: term.direction === 'desc' });
    }
    return (a, b) => {
      for (const { key, desc } of keys) {
        // EMPTY sorts after every value: last when ascending, first when descending (Jira).
        const c = compareSortKeys(key(a), key(b));
        if (c !== 0) return desc ? -c : c;
      }
      // Final tiebreak so that paging is stable: numeric issue id, ascending.
      return Number(a.id) - Number(b.id);
    };
  }

  // ---------- fields ----------

  /** Handlers for a field name (more than one only for custom fields sharing a name). */
  private fieldHandlers(field: FieldRef): Handler[] {
    const name = field.name;
    const lower = name.toLowerCase();
    const system = this.systemField(lower, name);
    if (system) return [system];

    const cf = /^(?:cf\[(\d+)\]|customfield_(\d+))$/i.exec(name);
    if (cf) {
      const def = this.ctx.state.customFields.find((f) => f.id === `customfield_${cf[1] ?? cf[2]}`);
      if (def) return [this.customField(def, name)];
      throw unknownField(name);
    }

    const prop = /^issue\.property\[(.+)\]((?:\.[^.]+)*)$/i.exec(name);
    if (prop) return [this.propertyField(prop[1], prop[2].replace(/^\./, ''), name)];

    const alias = this.ctx.aliases.find((a) => a.alias.toLowerCase() === lower);
    if (alias) return [this.aliasField(alias, name)];

    const named = this.ctx.state.customFields.filter((f) => f.name.toLowerCase() === lower);
    if (named.length > 0) return named.map((f) => this.customField(f, name));

    if (UNSUPPORTED_FIELDS.has(lower)) throw new JqlError([`Field '${name}' is not supported by the local site's JQL engine.`]);
    throw unknownField(name);
  }

  private systemField(lower: string, name: string): Handler | undefined {
    const { state } = this.ctx;
    switch (lower) {
      case 'project':
        return {
          ops: ops(EQUALITY),
          get: (i) => [i.projectId],
          resolve: (o) => {
            const text = this.valueText(o, name).toLowerCase();
            const p = this.visibleProjects().find((x) => x.key.toLowerCase() === text || x.id === text || x.name.toLowerCase() === text);
            if (!p) throw noValue(o, name);
            return [p.id];
          },
          sort: (i) => state.projects.find((p) => p.id === i.projectId)?.name.toLowerCase() ?? null,
        };
      case 'key':
      case 'issuekey':
      case 'issue':
      case 'id':
        return this.keyField(name);
      case 'issuetype':
      case 'type':
        return this.namedEntity(name, state.issueTypes, (i) => i.issueTypeId);
      case 'status':
        return this.namedEntity(name, state.statuses, (i) => i.statusId);
      case 'priority': {
        // Rank: higher = more important (first in the list = highest), so priority > Medium means "more urgent".
        const rank = (id: string | null): number | undefined => {
          const idx = state.priorities.findIndex((p) => p.id === id);
          return idx < 0 ? undefined : state.priorities.length - idx;
        };
        return {
          ops: ops(ORDERING),
          get: (i) => {
            const r = rank(i.priorityId);
            return r === undefined ? [] : [r];
          },
          resolve: (o) => {
            const text = this.valueText(o, name).toLowerCase();
            const p = state.priorities.find((x) => x.name.toLowerCase() === text || x.id === text);
            if (!p) throw noValue(o, name);
            return [rank(p.id) as number];
          },
          cmp: (a, b) => (a as number) - (b as number),
          sort: (i) => rank(i.priorityId) ?? null,
        };
      }
      case 'statuscategory': {
        const categoryOf = (i: JiraIssue) => {
          const key = state.statuses.find((s) => s.id === i.statusId)?.statusCategory;
          return STATUS_CATEGORIES.find((c) => c.key === key);
        };
        return {
          ops: ops(EQUALITY),
          get: (i) => {
            const c = categoryOf(i);
            return c ? [c.key] : [];
          },
          resolve: (o) => {
            const text = this.valueText(o, name).toLowerCase();
            const c = STATUS_CATEGORIES.find((x) => x.key === text || x.name.toLowerCase() === text || String(x.id) === text);
            if (!c) throw noValue(o, name);
            return [c.key];
          },
          sort: (i) => categoryOf(i)?.id ?? null,
        };
      }
      case 'resolution': {
        const base = this.namedEntity(name, state.resolutions, (i) => i.resolutionId);
        return {
          ...base,
          emptyValue: (o) => o.kind === 'value' && o.text.toLowerCase() === 'unresolved' && !state.resolutions.some((r) => r.name.toLowerCase() === 'unresolved'),
        };
      }
      case 'assignee':
        return this.userField(name, (i) => i.assigneeId);
      case 'reporter':
        return this.userField(name, (i) => i.reporterId);
      case 'labels':
        return {
          ops: ops(EQUALITY),
          get: (i) => i.labels.map((l) => l.toLowerCase()),
          resolve: (o) => [this.valueText(o, name).toLowerCase()],
        };
      case 'summary':
        return this.textField((i) => i.summary || null, (i) => i.summary.toLowerCase());
      case 'description':
        return this.textField((i) => adfText(i.description) || null);
      case 'comment':
        return { ...this.textField((i) => i.comments.map((c) => adfText(c.body)).join('\n') || null), ops: ops(['~', '!~']) };
      case 'text':
        return {
          ...this.textField((i) => {
            const parts = [i.summary, adfText(i.description), ...i.comments.map((c) => adfText(c.body))];
            for (const f of state.customFields) {
              const v = i.customFields[f.id];
              if (f.schemaType === 'string' && typeof v === 'string') parts.push(v);
            }
            return parts.filter(Boolean).join('\n') || null;
          }),
          ops: ops(['~']),
        };
      case 'created':
      case 'createddate':
        return this.dateTimeField(name, (i) => i.created);
      case 'updated':
      case 'updateddate':
        return this.dateTimeField(name, (i) => i.updated);
      case 'resolutiondate':
      case 'resolved':
        return this.dateTimeField(name, (i) => i.resolutiondate);
      case 'duedate':
      case 'due':
        return this.dateOnlyField(name, (i) => i.duedate);
      default:
        return undefined;
    }
  }

  private keyField(name: string): Handler {
    const parse = (key: string): [string, number] | undefined => {
      const m = /^([A-Z][A-Z0-9_]*)-(\d+)$/i.exec(key);
      return m ? [m[1].toUpperCase(), Number(m[2])] : undefined;
    };
    return {
      ops: ops(['=', '!=', 'in', 'not in', '<', '<=', '>', '>=']),
      get: (i) => [i.key.toUpperCase()],
      resolve: (o, op) => {
        const text = this.valueText(o, name).trim();
        // A number is an issue id; Jira accepts ids wherever it accepts keys.
        if (/^\d+$/.test(text)) {
          const byId = findIssue(this.ctx.state, text); // indexed (no map of every issue built per query)
          if (byId && this.canSee(byId.projectId)) return [byId.key.toUpperCase()];
          throw new JqlError([`An issue with key '${text}' does not exist for field '${name}'.`]);
        }
        const parsed = parse(text);
        if (!parsed) throw new JqlError([`The issue key '${text}' for field '${name}' is invalid.`]);
        const key = text.toUpperCase();
        if (op === '<' || op === '<=' || op === '>' || op === '>=') {
          // Range comparisons only need the project to exist: "key > ABC-100" is fine if ABC-100 is gone.
          if (!this.visibleProjects().some((p) => p.key.toUpperCase() === parsed[0])) {
            throw new JqlError([`The issue key '${text}' for field '${name}' is invalid.`]);
          }
          return [key];
        }
        const issue = findIssue(this.ctx.state, key);
        if (!issue || !this.canSee(issue.projectId)) throw new JqlError([`An issue with key '${text}' does not exist for field '${name}'.`]);
        return [key];
      },
      // Keys compare by number within one project; keys of different projects are not comparable.
      cmp: (a, b) => {
        const pa = parse(String(a));
        const pb = parse(String(b));
        return pa && pb && pa[0] === pb[0] ? pa[1] - pb[1] : undefined;
      },
      sort: (i) => {
        const p = parse(i.key);
        return p ? [p[0], p[1]] : [i.key];
      },
    };
  }

  /** status, issuetype, resolution: by name (case-insensitive) or id; sorted by their order in the state. */
  private namedEntity(name: string, list: { id: string; name: string }[], idOf: (i: JiraIssue) => string | null): Handler {
    return {
      ops: ops(EQUALITY),
      get: (i) => {
        const id = idOf(i);
        return id === null ? [] : [id];
      },
      resolve: (o) => {
        const text = this.valueText(o, name).toLowerCase();
        // Names are not unique across projects in Jira (two "Done" statuses): a name means all of them.
        const found = list.filter((x) => x.name.toLowerCase() === text || x.id === text);
        if (found.length === 0) throw noValue(o, name);
        return found.map((x) => x.id);
      },
      sort: (i) => {
        const idx = list.findIndex((x) => x.id === idOf(i));
        return idx < 0 ? null : idx;
      },
    };
  }

  private userField(name: string, idOf: (i: JiraIssue) => string | null): Handler {
    return {
      ops: ops(EQUALITY),
      get: (i) => {
        const id = idOf(i);
        return id ? [id] : [];
      },
      resolve: (o) => this.resolveUser(o, name),
      sort: (i) => {
        const id = idOf(i);
        if (!id) return null;
        return (this.ctx.users.find((u) => u.accountId === id)?.displayName ?? id).toLowerCase();
      },
    };
  }

  /** accountId (exact), or an email address / display name (case-insensitive); currentUser() as the app is nobody. */
  private resolveUser(o: ValueOperand, name: string): string[] {
    if (o.kind === 'function') {
      if (o.name.toLowerCase() !== 'currentuser') throw badFunction(o, name);
      if (o.args.length > 0) throw new JqlError([`Function 'currentUser' expected '0' arguments but received '${o.args.length}'.`]);
      return this.ctx.currentUser ? [this.ctx.currentUser] : [];
    }
    const text = o.text;
    const lower = text.toLowerCase();
    const user: SiteUser | undefined =
      this.ctx.users.find((u) => u.accountId === text) ??
      this.ctx.users.find((u) => u.emailAddress.toLowerCase() === lower || u.displayName.toLowerCase() === lower);
    if (!user) throw noValue(o, name);
    return [user.accountId];
  }

  private textField(text: (i: JiraIssue) => string | null, sort?: (i: JiraIssue) => string): Handler {
    return {
      ops: ops(TEXT),
      get: (i) => {
        const t = text(i);
        return t ? [t] : [];
      },
      resolve: () => [],
      text,
      sort,
    };
  }

  /** Instant-valued fields. A date-only value means its midnight (in the context zone), so created = "2026-11-20" matches only 00:00. */
  private dateTimeField(name: string, raw: (i: JiraIssue) => string | null, parseStored: (s: string) => number = Date.parse): Handler {
    const valueOf = (i: JiraIssue): number | undefined => {
      const s = raw(i);
      if (s === null || s === undefined || s === '') return undefined;
      const ms = parseStored(s);
      return Number.isNaN(ms) ? undefined : ms;
    };
    return {
      ops: ops(ORDERING),
      get: (i) => {
        const v = valueOf(i);
        return v === undefined ? [] : [v];
      },
      resolve: (o) => [this.dateValue(o, name).ms],
      // Query values have minute precision, so = compares to the minute.
      eq: (a, b) => Math.floor((a as number) / MINUTE) === Math.floor((b as number) / MINUTE),
      cmp: (a, b) => (a as number) - (b as number),
      sort: (i) => valueOf(i) ?? null,
    };
  }

  /** Day-valued fields (duedate, date pickers): every value is reduced to a day in the context zone. */
  private dateOnlyField(name: string, raw: (i: JiraIssue) => unknown): Handler {
    const valueOf = (i: JiraIssue): string | undefined => {
      const v = raw(i);
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined;
    };
    return {
      ops: ops(ORDERING),
      get: (i) => {
        const v = valueOf(i);
        return v === undefined ? [] : [v];
      },
      resolve: (o) => {
        const d = this.dateValue(o, name);
        return [d.day ?? dayOf(d.ms, this.timeZone)];
      },
      cmp: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
      sort: (i) => valueOf(i) ?? null,
    };
  }

  private dateValue(o: ValueOperand, name: string): { ms: number; day?: string } {
    if (o.kind === 'function') {
      if (!(DATE_FUNCTIONS as readonly string[]).includes(o.name.toLowerCase())) throw badFunction(o, name);
      const ms = evalDateFunction(o.name, o.args, this.nowMs, this.timeZone);
      if (ms === undefined) throw new JqlError([`The function '${o.name}' does not accept the arguments (${o.args.join(', ')}).`]);
      return { ms };
    }
    const d = parseDateLiteral(o.text, this.nowMs, this.timeZone);
    if (!d) {
      throw new JqlError([
        `Date value '${o.text}' for field '${name}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
      ]);
    }
    return d;
  }

  private numberField(name: string, values: (i: JiraIssue) => Scalar[]): Handler {
    return {
      ops: ops(ORDERING),
      get: values,
      resolve: (o) => {
        const text = this.valueText(o, name).trim();
        const n = Number(text);
        if (text === '' || !Number.isFinite(n)) throw new JqlError([`The value '${text}' is not a valid number for the field '${name}'.`]);
        return [n];
      },
      cmp: (a, b) => (a as number) - (b as number),
      sort: (i) => {
        const v = values(i);
        return v.length ? v[0] : null;
      },
    };
  }

  private customField(def: JiraCustomField, name: string): Handler {
    const raw = (i: JiraIssue): unknown => i.customFields[def.id];
    switch (def.schemaType) {
      case 'string':
        return this.textField((i) => {
          const v = raw(i);
          return typeof v === 'string' && v !== '' ? v : null;
        }, (i) => String(raw(i) ?? '').toLowerCase());
      case 'number':
        return this.numberField(name, (i) => {
          const v = raw(i);
          return typeof v === 'number' ? [v] : [];
        });
      case 'date':
        return this.dateOnlyField(name, raw);
      case 'user':
        return this.userField(name, (i) => {
          const v = raw(i);
          if (typeof v === 'string') return v;
          if (v && typeof v === 'object' && typeof (v as { accountId?: unknown }).accountId === 'string') return (v as { accountId: string }).accountId;
          return null;
        });
      case 'option':
      case 'array': {
        // Options match by their value (no option lists in the local state, so values are not validated).
        const values = (i: JiraIssue): Scalar[] => {
          const v = raw(i);
          return (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]).map(optionText).filter((s): s is string => s !== null);
        };
        return {
          ops: ops(EQUALITY),
          get: values,
          resolve: (o) => [this.valueText(o, name).toLowerCase()],
          sort: def.schemaType === 'option' ? (i) => values(i)[0] ?? null : undefined,
        };
      }
    }
  }

  /** `issue.property[key].path`: searchable only when some entity property module indexes it, as in Jira. */
  private propertyField(propertyKey: string, path: string, name: string): Handler {
    const declared = this.ctx.aliases.find((a) => a.propertyKey === propertyKey && a.path === path);
    if (declared) return this.aliasField(declared, name);
    // Not indexed: Jira finds nothing (every issue is EMPTY for it) rather than failing the query.
    return { ops: ops(ORDERING, TEXT), get: () => [], resolve: () => [], cmp: () => undefined, sort: () => null };
  }

  private aliasField(alias: EntityPropertyAlias, name: string): Handler {
    const raw = (i: JiraIssue): unknown[] => {
      let v: unknown = i.properties[alias.propertyKey];
      for (const step of alias.path ? alias.path.split('.') : []) {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
        v = (v as Record<string, unknown>)[step];
      }
      // Arrays are indexed element by element: "= x" means "contains x".
      return (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined);
    };
    switch (alias.type) {
      case 'number':
        return this.numberField(name, (i) => raw(i).map(Number).filter((n) => Number.isFinite(n)));
      case 'text':
        return this.textField((i) => raw(i).map(String).join('\n') || null, (i) => raw(i).map(String).join(' ').toLowerCase());
      case 'user':
        return this.userField(name, (i) => {
          const v = raw(i)[0];
          return typeof v === 'string' ? v : null;
        });
      case 'date':
        return this.dateTimeField(name, (i) => {
          const v = raw(i)[0];
          return typeof v === 'string' ? v : null;
        }, (s) => this.parseStoredDate(s));
      case 'string': {
        // Exact match on the indexed string (Jira's 'string' type is not tokenised).
        const values = (i: JiraIssue): Scalar[] => raw(i).filter((x) => typeof x !== 'object').map(String);
        return {
          ops: ops(EQUALITY),
          get: values,
          resolve: (o) => [this.valueText(o, name)],
          sort: (i) => (values(i).length ? String(values(i)[0]).toLowerCase() : null),
        };
      }
    }
  }

  /** Stored date strings: full ISO instants as-is; a bare YYYY-MM-DD means midnight in the context zone. */
  private parseStoredDate(s: string): number {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (day) return fromWallClock(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])), this.timeZone);
    return Date.parse(s);
  }

  // ---------- helpers ----------

  private valueText(o: ValueOperand, name: string): string {
    if (o.kind === 'function') throw badFunction(o, name);
    return o.text;
  }

  /**
   * `filter = 10000` / `filter in (…)` / `!=` / `not in`: the saved filter's own query (by id or name), as Jira
   * reads it. A filter the acting user may not see "does not exist", in Jira's words; a filter that names
   * itself (directly or through others) is refused rather than looped.
   */
  private savedFilterClause(name: string, op: Operator, operand: Operand): Predicate {
    if (!['=', '!=', 'in', 'not in'].includes(op)) throw new JqlError([`The operator '${op}' is not supported by the '${name}' field.`]);
    const items = operand.kind === 'list' ? operand.items : [operand];
    if ((op === 'in' || op === 'not in') !== (operand.kind === 'list')) throw new JqlError([`The operator '${op}' does not support the value '${describe(operand)}' for field '${name}'.`]);
    const parts = items.map((item) => {
      if (item.kind !== 'value') throw new JqlError([`The field '${name}' only accepts a saved filter's id or name.`]);
      const text = item.text.toLowerCase();
      const filter = (this.ctx.state.filters ?? []).find((f) => (f.id === item.text || f.name.toLowerCase() === text) && this.canSeeFilter(f));
      if (!filter) throw noValue(item, name);
      if (this.filterStack.includes(filter.id)) throw new JqlError([`The saved filter '${filter.name}' refers to itself.`]);
      this.filterStack.push(filter.id);
      try {
        const query = parse(filter.jql);
        return query.where ? this.compile(query.where) : () => true;
      } finally {
        this.filterStack.pop();
      }
    });
    const any: Predicate = (issue) => parts.some((p) => p(issue));
    return op === '=' || op === 'in' ? any : (issue) => !any(issue);
  }

  private readonly filterStack: string[] = [];

  /** The owner, or anyone a share permission reaches (the app, acting as itself, sees every filter). */
  private canSeeFilter(f: JiraFilter): boolean {
    const user = this.ctx.currentUser;
    if (!user || f.ownerAccountId === user) return true;
    return f.sharePermissions.some((sp) => sp.type === 'global' || (sp.type === 'project' && this.canSee(sp.projectId)));
  }

  /** Projects the acting user can browse (all of them for the app); others "do not exist" in error messages. */
  private visibleProjects() {
    const user = this.ctx.currentUser;
    return this.ctx.state.projects.filter((p) => !user || p.access[user] !== undefined);
  }

  private canSee(projectId: string): boolean {
    return this.visibleProjects().some((p) => p.id === projectId);
  }
}

function unknownField(name: string): JqlError {
  return new JqlError([`Field '${name}' does not exist or you do not have permission to view it.`]);
}

function noValue(o: ValueOperand, name: string): JqlError {
  const text = o.kind === 'value' ? o.text : `${o.name}()`;
  return new JqlError([`The value '${text}' does not exist for the field '${name}'.`]);
}

function badFunction(o: Extract<Operand, { kind: 'function' }>, name: string): JqlError {
  return new JqlError([`A value provided by the function '${o.name}' is invalid for the field '${name}'.`]);
}

function describe(o: Operand): string {
  switch (o.kind) {
    case 'value':
      return o.text;
    case 'empty':
      return 'EMPTY';
    case 'function':
      return `${o.name}(${o.args.join(', ')})`;
    case 'list':
      return `(${o.items.map(describe).join(', ')})`;
  }
}

function optionText(v: unknown): string | null {
  if (typeof v === 'string' || typeof v === 'number') return String(v).toLowerCase();
  if (v && typeof v === 'object') {
    const o = v as { value?: unknown; name?: unknown };
    if (typeof o.value === 'string') return o.value.toLowerCase();
    if (typeof o.name === 'string') return o.name.toLowerCase();
  }
  return null;
}

/** Plain text of an ADF document (or a plain string), for ~ searches. */
export function adfText(doc: unknown): string {
  if (doc === null || doc === undefined) return '';
  if (typeof doc === 'string') return doc;
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: unknown; text?: unknown; attrs?: { text?: unknown }; content?: unknown };
    if (typeof n.text === 'string') out.push(n.text);
    else if (n.type === 'mention' && typeof n.attrs?.text === 'string') out.push(n.attrs.text);
    if (Array.isArray(n.content)) n.content.forEach(walk);
  };
  walk(doc);
  return out.join(' ');
}

function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const xs = Array.isArray(a) ? a : [a];
  const ys = Array.isArray(b) ? b : [b];
  for (let k = 0; k < Math.max(xs.length, ys.length); k++) {
    const x = xs[k];
    const y = ys[k];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

// ---------- text search (~) ----------

/** Lucene's English stop words: Jira drops them from ~ queries. */
const STOP_WORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

const WORD = /[\p{L}\p{N}_]+/gu;
const QUERY_WORD = /[\p{L}\p{N}_*?]+/gu;

/** A light English stemmer so that "fails", "failed" and "failing" all match "fail", like Jira's analyser. */
function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // running → runn → run
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !/[aeiou]/.test(w[w.length - 1])) w = w.slice(0, -1);
  return w;
}

/**
 * Jira's ~ : the query is split into words (stop words dropped) and every word must occur in the text,
 * compared after stemming and case-folding; `*` and `?` are wildcards inside a word (`deploy*`).
 * A value wrapped in its own double quotes (summary ~ "\"disk full\"") is an exact phrase.
 */
function textMatcher(query: string, name: string): (text: string) => boolean {
  const trimmed = query.trim();
  if (trimmed === '') throw new JqlError([`The field '${name}' does not support searching for an empty string.`]);
  const phrase = trimmed.length > 1 && trimmed.startsWith('"') && trimmed.endsWith('"');
  const terms = (phrase ? trimmed.slice(1, -1) : trimmed).match(QUERY_WORD) ?? [];
  const words = terms.filter((t) => !STOP_WORDS.has(t.toLowerCase()) && t.replace(/[*?]/g, '') !== '');
  if (words.length === 0) return () => false;
  const tests = words.map((t): ((w: string) => boolean) => {
    if (/[*?]/.test(t)) {
      const re = new RegExp(`^${t.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'u');
      return (w) => re.test(w.toLowerCase());
    }
    const s = stem(t);
    return (w) => stem(w) === s;
  });
  return (text) => {
    const textWords = (text.match(WORD) ?? []).filter((w) => !STOP_WORDS.has(w.toLowerCase()));
    if (phrase) {
      for (let start = 0; start + tests.length <= textWords.length; start++) {
        if (tests.every((t, k) => t(textWords[start + k]))) return true;
      }
      return false;
    }
    return tests.every((t) => textWords.some(t));
  };
}
