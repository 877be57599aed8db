/**
 * A keyboard-only journey through the postmortem macro: Tab and typing alone fill a postmortem, accept its items
 * and create their Jira issues. Every control reached shows its focus; each status change lands in a live region
 * (role=status) a screen reader announces; and when Create all goes away, the focus lands on the announcement
 * instead of being lost.
 */
import type { Frame, Page } from 'playwright-core';
import { EDITOR_ID } from '../../local-site/state/users';
import { ONCALL_PAGE_ID } from '../../local-site/confluence/seed';
import { useBrowserSite } from './support/browser';

const env = useBrowserSite();
jest.setTimeout(90_000);

interface Focused {
  name: string;
  id: string;
  focusVisible: boolean;
  outline: string;
}

/** What has the focus inside the frame: its name (aria-label, else its label, else its text) and how it shows. */
async function focusedIn(frame: Frame): Promise<Focused | null> {
  return frame.evaluate(() => {
    const doc = (globalThis as unknown as { document: { activeElement: null | { id: string; tagName: string; getAttribute(n: string): string | null; textContent: string | null; labels?: { textContent: string | null }[]; matches(s: string): boolean } ; hasFocus(): boolean } }).document;
    const a = doc.activeElement;
    if (!a || a.tagName === 'BODY' || !doc.hasFocus()) return null;
    const style = (globalThis as unknown as { getComputedStyle(e: unknown): { outlineStyle: string } }).getComputedStyle(a);
    const name = a.getAttribute('aria-label') ?? a.labels?.[0]?.textContent ?? a.textContent ?? '';
    return { name: name.trim(), id: a.id, focusVisible: a.matches(':focus-visible'), outline: style.outlineStyle };
  });
}

/** Presses Tab until the control named `name` has the focus (the host page's own controls come first). */
async function tabTo(page: Page, frame: Frame, name: string) {
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press('Tab');
    const f = await focusedIn(frame);
    if (f?.name === name) {
      // Focus is visible on every control a keyboard user lands on.
      expect(f).toMatchObject({ focusVisible: true, outline: expect.not.stringMatching(/^none$/) });
      return;
    }
  }
  throw new Error(`Tab never reached “${name}”`);
}

it('Tab and typing alone fill a postmortem, accept its items and create their issues; focus is never lost', async () => {
  const { site } = env();
  site.placeMacro(ONCALL_PAGE_ID, 'pft-postmortem', 'eeeeeeee-0000-4000-8000-000000000001', 'Postmortem');
  const page = await env().pageAs(EDITOR_ID);
  await page.goto(`/wiki/pages/${ONCALL_PAGE_ID}`);
  const app = page.frameLocator('iframe.forge-frame').first();
  await app.getByLabel('Summary', { exact: true }).waitFor();
  const frame = page.frames().find((f) => f.url().includes('/postmortem-ui/'))!;
  const saved = app.getByRole('status').filter({ hasText: 'All changes saved' });

  await tabTo(page, frame, 'Summary');
  await page.keyboard.type('Checkout returned errors for 40 minutes after release 42.');
  for (const title of ['Alert on checkout error rate', 'Canary releases for checkout']) {
    await tabTo(page, frame, 'New action item');
    await page.keyboard.type(title);
    await page.keyboard.press('Enter');
    // Adding keeps the focus in the field, ready for the next one.
    expect((await focusedIn(frame))?.name).toBe('New action item');
  }
  // An item added by mistake is removed; the focus goes back to the new-item field.
  await tabTo(page, frame, 'New action item');
  await page.keyboard.type('Added by mistake');
  await page.keyboard.press('Enter');
  await tabTo(page, frame, 'Remove action item 3');
  await page.keyboard.press('Enter');
  await app.getByLabel('Title of action item 3').waitFor({ state: 'detached' });
  expect((await focusedIn(frame))?.name).toBe('New action item');
  for (const n of [1, 2]) {
    await tabTo(page, frame, `Owner of action item ${n}`);
    await page.keyboard.type('Payments');
    await app.locator(`#pm-item-${n}-owner-kind-note`).filter({ hasText: 'Saved as a team: Payments' }).waitFor();
    await tabTo(page, frame, `State of action item ${n}`);
    await page.keyboard.type('Accepted');
    expect(await app.getByLabel(`State of action item ${n}`).inputValue()).toBe('accepted');
  }
  await saved.waitFor();

  await tabTo(page, frame, 'Create all Jira issues (2)');
  await page.keyboard.press('Enter');
  // Announced: the live region says how many items have their issue now.
  await app.getByRole('status').filter({ hasText: '2 of 2 items have a Jira issue' }).waitFor();
  for (const n of [1, 2]) await app.getByLabel(`Jira issue of action item ${n}`).getByText(/^OPS-\d+$/).waitFor();
  expect(await app.getByRole('button', { name: /Create all Jira issues/ }).count()).toBe(0);
  // The button is gone; the focus is on the announcement, not lost to the top of the frame.
  await app.locator('#pm-issues-status:focus').waitFor();
  expect((await focusedIn(frame))?.id).toBe('pm-issues-status');
  // And Tab goes on from there.
  await page.keyboard.press('Tab');
  expect((await focusedIn(frame))?.name).toBe('Refresh from Jira');
});
