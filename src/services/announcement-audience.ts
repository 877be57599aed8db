/**
 * Who an announcement reaches, and what it may therefore name. The weekly digest page and the publish email
 * go to the readers of the digest space (the email goes to a list: the app treats it as that same broad
 * audience). A postmortem is named there only when
 * - its page is in the digest space or in a space the admin chose to announce (settings.announceSpaceKeys), and
 * - every principal that may read the digest space may read the page (Confluence's own permission check per
 *   user or group, so space permissions narrower than the digest space's and page restrictions both count);
 *   a principal the check cannot answer for (e.g. a role) makes the page count as restricted.
 * An action item is named only when its postmortem is, and every reader may browse its Jira project; the
 * readers of a group cannot be listed in Jira, so a digest space readable by a group names no action item.
 * Everything else is at most counted ("2 restricted postmortems"). Checked as the app, never as a person.
 */
import type { AppSettings } from '../contract/settings';
import { ConfluenceClient } from '../atlassian/confluence';
import { JiraClient } from '../atlassian/jira';
import { AtlassianError, forEachLimit } from '../atlassian/request';

const CHECKS_AT_ONCE = 5;

export class AnnouncementAudience {
  private readonly pages = new Map<string, Promise<boolean>>();
  private readonly projects = new Map<string, Promise<boolean>>();

  private constructor(
    private readonly confluence: ConfluenceClient,
    private readonly jira: JiraClient,
    private readonly readers: { type: string; id: string }[],
    private readonly announcedSpaceIds: Set<string>,
  ) {}

  /** The audience of the digest space in the settings; undefined when the app cannot see that space. */
  static async of(settings: Pick<AppSettings, 'digestSpaceKey' | 'announceSpaceKeys'>): Promise<AnnouncementAudience | undefined> {
    const confluence = ConfluenceClient.asApp();
    const digest = await confluence.findSpaceByKey(settings.digestSpaceKey);
    if (!digest) return undefined;
    const others = await Promise.all(settings.announceSpaceKeys.filter((k) => k !== settings.digestSpaceKey).map((k) => confluence.findSpaceByKey(k)));
    const announced = new Set([digest.id, ...others.flatMap((s) => (s ? [s.id] : []))]);
    return new AnnouncementAudience(confluence, JiraClient.asApp(), await confluence.spaceReaders(digest.id), announced);
  }

  /** Why the postmortem on this page may not be announced (publish email), or undefined when it may. */
  /**
   * Why the postmortem on this page may not be announced (a phrase to follow "Not notified: " or "Not emailed: "),
   * or undefined when it may. Publish asks once and uses the answer for each announcement it makes.
   */
  static async refusal(settings: Pick<AppSettings, 'digestSpaceKey' | 'announceSpaceKeys'>, pageId: string): Promise<string | undefined> {
    const audience = await AnnouncementAudience.of(settings);
    if (!audience) return `the app cannot see the digest space ${settings.digestSpaceKey}, so it cannot tell who may read this postmortem.`;
    const page = await audience.confluence.getPage(pageId);
    if (!audience.announcedSpaceIds.has(String(page.spaceId))) return 'postmortems of this space are not announced (app settings).';
    if (!(await audience.mayName({ id: pageId, spaceId: String(page.spaceId) }))) return `not everyone who reads ${settings.digestSpaceKey} may read this postmortem.`;
    return undefined;
  }

  /** Whether the postmortem on this page may be named to the audience. */
  mayName(page: { id: string; spaceId: string }): Promise<boolean> {
    if (!this.announcedSpaceIds.has(page.spaceId)) return Promise.resolve(false);
    let known = this.pages.get(page.id);
    if (!known) {
      known = this.everyReaderMayRead(page.id);
      this.pages.set(page.id, known);
    }
    return known;
  }

  /** Whether every reader may browse this Jira project. */
  maySeeProject(projectKey: string): Promise<boolean> {
    let known = this.projects.get(projectKey);
    if (!known) {
      known = this.everyReaderMayBrowse(projectKey);
      this.projects.set(projectKey, known);
    }
    return known;
  }

  private async everyReaderMayRead(pageId: string): Promise<boolean> {
    let all = true;
    await forEachLimit(this.readers, CHECKS_AT_ONCE, async (r) => {
      if (!all) return;
      if (r.type !== 'user' && r.type !== 'group') {
        all = false;
        return;
      }
      const may = await this.confluence.hasContentPermission(pageId, r.id, 'read', r.type).catch((e: unknown) => {
        if (e instanceof AtlassianError && e.status < 500) return false; // unknown group or user: not provably allowed
        throw e;
      });
      if (!may) all = false;
    });
    return all;
  }

  private async everyReaderMayBrowse(projectKey: string): Promise<boolean> {
    if (this.readers.some((r) => r.type !== 'user')) return false;
    const browsers = await this.jira.projectBrowsers(projectKey).catch((e: unknown) => {
      if (e instanceof AtlassianError && e.status < 500) return new Set<string>();
      throw e;
    });
    return this.readers.every((r) => browsers.has(r.id));
  }
}
