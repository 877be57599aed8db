/**
 * Who may do what in the local Jira. Project access is per user (`JiraProject.access`):
 * read = browse + comment, write = also create/edit/transition/link/assign, admin = also administer.
 * Site admins are admins everywhere; the app (asApp) acts like an admin.
 */
import type { Actor } from '../http/types';
import type { AccessLevel, JiraProject, SiteUser } from '../state/types';

/** What the permission helpers need to know about the site: its users (for `siteAdmin`). */
export interface UserDirectory {
  users: SiteUser[];
}

/** Jira's answer when an issue is missing or hidden: the two cases are indistinguishable on purpose. */
export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

const RANK: Record<AccessLevel, number> = { read: 1, write: 2, admin: 3 };

export function isSiteAdmin(state: UserDirectory, actor: Actor): boolean {
  if (actor.kind === 'app') return true;
  return state.users.some((u) => u.accountId === actor.accountId && u.siteAdmin);
}

/** The actor's level in the project, or undefined when they cannot see it. */
export function accessTo(state: UserDirectory, actor: Actor, project: JiraProject): AccessLevel | undefined {
  if (actor.kind === 'app') return 'admin';
  if (isSiteAdmin(state, actor)) return 'admin';
  return project.access[actor.accountId];
}

function atLeast(level: AccessLevel | undefined, needed: AccessLevel): boolean {
  return level !== undefined && RANK[level] >= RANK[needed];
}

/** Browse the project and its issues (and comment on them). */
export function canBrowse(state: UserDirectory, actor: Actor, project: JiraProject): boolean {
  return atLeast(accessTo(state, actor, project), 'read');
}

/** Create, edit, assign, transition, link issues and set their properties. */
export function canEdit(state: UserDirectory, actor: Actor, project: JiraProject): boolean {
  return atLeast(accessTo(state, actor, project), 'write');
}

export const canCreate = canEdit;

/** Administer the project: edit/delete anyone's comments, change reporters. */
export function canAdminister(state: UserDirectory, actor: Actor, project: JiraProject): boolean {
  return atLeast(accessTo(state, actor, project), 'admin');
}

/** Whether a user may be assigned issues in the project (Jira's ASSIGNABLE_USER: write access). */
export function isAssignable(state: UserDirectory, accountId: string, project: JiraProject): boolean {
  const user = state.users.find((u) => u.accountId === accountId);
  if (!user) return false;
  return canEdit(state, { kind: 'user', accountId }, project);
}

/** Edit or delete a comment: its author (who can still browse) or a project admin. */
export function canModifyComment(state: UserDirectory, actor: Actor, project: JiraProject, authorId: string): boolean {
  if (canAdminister(state, actor, project)) return true;
  return actor.kind === 'user' && actor.accountId === authorId && canBrowse(state, actor, project);
}

/** The project permissions GET /mypermissions knows, with Jira's ids and the level each needs. */
export const PROJECT_PERMISSIONS: Record<string, { id: string; name: string; needs: AccessLevel }> = {
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', needs: 'read' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', needs: 'write' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', needs: 'write' },
  ASSIGN_ISSUES: { id: '13', name: 'Assign Issues', needs: 'write' },
  RESOLVE_ISSUES: { id: '14', name: 'Resolve Issues', needs: 'write' },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', needs: 'read' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', needs: 'admin' },
  ASSIGNABLE_USER: { id: '17', name: 'Assignable User', needs: 'write' },
  CLOSE_ISSUES: { id: '18', name: 'Close Issues', needs: 'write' },
  CREATE_ATTACHMENTS: { id: '19', name: 'Create Attachments', needs: 'write' },
  WORK_ON_ISSUES: { id: '20', name: 'Work On Issues', needs: 'write' },
  LINK_ISSUES: { id: '21', name: 'Link Issues', needs: 'write' },
  ADMINISTER_PROJECTS: { id: '23', name: 'Administer Projects', needs: 'admin' },
  SCHEDULE_ISSUES: { id: '28', name: 'Schedule Issues', needs: 'write' },
  VIEW_VOTERS_AND_WATCHERS: { id: '31', name: 'View Voters and Watchers', needs: 'read' },
  MANAGE_WATCHERS: { id: '32', name: 'Manage Watchers', needs: 'admin' },
  EDIT_ALL_COMMENTS: { id: '34', name: 'Edit All Comments', needs: 'admin' },
  EDIT_OWN_COMMENTS: { id: '35', name: 'Edit Own Comments', needs: 'read' },
  DELETE_ALL_COMMENTS: { id: '36', name: 'Delete All Comments', needs: 'admin' },
  DELETE_OWN_COMMENTS: { id: '37', name: 'Delete Own Comments', needs: 'read' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', needs: 'write' },
};

/** Global permissions: ADMINISTER/SYSTEM_ADMIN for site admins, the rest for everyone signed in. */
export const GLOBAL_PERMISSIONS: Record<string, { id: string; name: string; adminOnly: boolean }> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', adminOnly: true },
  SYSTEM_ADMIN: { id: '44', name: 'Administer Jira (system)', adminOnly: true },
  USER_PICKER: { id: '27', name: 'Browse users and groups', adminOnly: false },
  CREATE_SHARED_OBJECTS: { id: '22', name: 'Share dashboards and filters', adminOnly: false },
  BULK_CHANGE: { id: '33', name: 'Make bulk changes', adminOnly: false },
};

/** Whether the actor holds a project permission in one project. */
export function hasProjectPermission(state: UserDirectory, actor: Actor, project: JiraProject, key: string): boolean {
  const perm = PROJECT_PERMISSIONS[key];
  if (!perm) return false;
  return atLeast(accessTo(state, actor, project), perm.needs);
}
