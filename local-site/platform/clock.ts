/**
 * The site clock. Tests and demos move time (eight weeks of daily triggers in seconds), and the app's
 * code must see the same time as Jira, Confluence and the scheduler — so while a site is installed, the
 * process's `Date` reads the site clock: wall-clock time plus the site's offset. Durations (elapsed
 * milliseconds) are unaffected because the offset only changes when the site moves the clock.
 */
const RealDate = Date;

/** Wall-clock milliseconds, whatever the site clock says. */
export const realNow = (): number => RealDate.now();

let offsetOf: () => number = () => 0;

/** Makes `Date` (and `Date.now()`) in this process follow the site clock given by `offset()`. */
export function installSiteClock(offset: () => number): void {
  offsetOf = offset;
  const g = globalThis as { Date: DateConstructor };
  if ((g.Date as unknown) === SiteDate) return;
  g.Date = SiteDate as unknown as DateConstructor;
}

class SiteDateImpl extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetOf());
    else super(...(args as [string | number | Date]));
  }

  static override now(): number {
    return RealDate.now() + offsetOf();
  }
}

const SiteDate = SiteDateImpl;
