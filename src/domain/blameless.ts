/**
 * The blameless-language check. The essay: "the Postmortem should strive to be blameless, focusing on faulty
 * processes and technology … if people feel like they are potentially going to be blamed for an incident,
 * they may hide or falsify information". Where people are named, it should be for what they noticed or did.
 *
 * The check flags wording that points at a person's performance or character, with offsets so the editor
 * can highlight it, a short why, and a rewording that points at the process or the system instead.
 * It is a heuristic: it prefers missing an odd phrasing over nagging about a sentence that is fine,
 * because false alarms teach people to ignore it.
 */

export interface BlamelessFinding {
  /** Offsets into the checked text: text.slice(start, end) === phrase. */
  start: number;
  end: number;
  phrase: string;
  rule: BlamelessRuleId;
  message: string;
  suggestion: string;
}

export interface BlamelessOptions {
  /** People's names (attendees, incident owner…): always treated as names, case-insensitive, each word. */
  knownNames?: string[];
}

export type BlamelessRuleId =
  | 'human-error'
  | 'should-have'
  | 'should-have-known'
  | 'judgement'
  | 'fault'
  | 'omission'
  | 'person-caused'
  | 'hindsight-words';

interface RuleText {
  message: string;
  suggestion: string;
}

export const BLAMELESS_RULES: Record<BlamelessRuleId, RuleText> = {
  'human-error': {
    message: '"Human error" ends the inquiry where it should start: what made the error easy to make and hard to catch?',
    suggestion: 'Describe the conditions instead, e.g. "The console allowed a production change without confirmation."',
  },
  'should-have': {
    message: 'Saying what a person should have done judges them with hindsight and hides why the system let it happen.',
    suggestion: 'Say what the process or tooling lacked, e.g. "The checklist did not include verifying the backup."',
  },
  'should-have-known': {
    message: '"Should have known" is hindsight bias: the information was not available or not visible at the time.',
    suggestion: 'Ask what would have made it visible, e.g. "The dashboard did not show replication lag."',
  },
  judgement: {
    message: 'Words about someone’s character or diligence blame a person and make people hide information next time.',
    suggestion: 'Describe the action and the missing safeguard, e.g. "The change was applied without review; the tool did not require one."',
  },
  fault: {
    message: 'Assigning fault to a person is the opposite of a blameless postmortem.',
    suggestion: 'Name the failed process or technology, e.g. "The deploy pipeline had no check for this case."',
  },
  omission: {
    message: 'Framing a gap as a person’s omission hides why nothing reminded or stopped them.',
    suggestion: 'Describe the missing step in the process, e.g. "Certificate renewal was not automated or alerted on."',
  },
  'person-caused': {
    message: 'Naming a person as the cause points at an individual rather than the change or the system that allowed it.',
    suggestion: 'Name the change instead, e.g. "The 10:30 config change disabled the cache."',
  },
  'hindsight-words': {
    message: '"Obviously" and "simply should" imply the failure was easy to avoid, which is only true in hindsight.',
    suggestion: 'Drop the word, and describe what made the right action hard to see at the time.',
  },
};

// ---------------------------------------------------------------------------------------------------------
// What counts as a person's name

const PRONOUNS = new Set(['he', 'she', 'they', 'i', 'you']);
/** Pronouns that stand for one person; "they"/"we" often stand for a team or a system. */
const SINGULAR_PRONOUNS = new Set(['he', 'she', 'i', 'you']);

/**
 * Capitalised words that are not people: sentence and title words, days and months, teams, and the
 * products and systems postmortems talk about all the time ("caused by Redis eviction" is fine).
 */
const NOT_NAMES = new Set(
  `a an the this that these those it its we our us they them their he she his her you your i my me one someone somebody
  anyone anybody everyone everybody nobody no none nothing each every all some any both either neither another other
  and or but so then yet also if when while because since after before during until once as at by for from in into of
  on to with without about over under between through per via not
  who what which where why how there here
  monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
  january february march april may june july august september october november december
  team teams ops devops sre support engineering platform infra infrastructure security qa release network networking
  database data product management leadership sales marketing finance legal customer customers user users client clients
  service services system systems server servers cluster node nodes pod pods primary replica replicas leader follower
  worker workers scheduler cron pipeline build builds deploy deployment deployments release releases canary rollout
  monitoring alerting alert alerts dashboard dashboards runbook runbooks playbook oncall on-call incident incidents
  config configuration cache queue gateway proxy balancer firewall cdn api app apps backend frontend mobile web
  prod production staging dev development test testing
  redis kafka postgres postgresql mysql mongo mongodb cassandra elasticsearch opensearch memcached rabbitmq zookeeper
  etcd consul vault nomad terraform ansible puppet chef jenkins circleci travis argo argocd spinnaker helm docker
  kubernetes istio envoy nginx apache haproxy traefik linkerd prometheus grafana datadog sentry splunk kibana
  honeycomb newrelic pagerduty opsgenie statuspage slack jira confluence zoom teams github gitlab bitbucket
  aws azure gcp google amazon microsoft apple atlassian cloudflare akamai fastly stripe twilio okta auth heroku vercel
  netlify lambda aurora dynamo dynamodb bigquery snowflake airflow spark hadoop flink linux windows ubuntu debian
  java python ruby rails django node go golang rust scala kotlin swift php perl typescript javascript react angular vue
  chrome safari firefox android ios`.split(/\s+/),
);

/**
 * Common first names, for the one case a capitalised word cannot be told apart from an ordinary word:
 * the first word of a sentence ("Bob forgot to …" vs "Alerting failed to …"). Add your people via knownNames.
 */
const COMMON_FIRST_NAMES = new Set(
  `aaron adam aisha alan alex alexander alice alicia amanda amir amy ana andrea andrew angela anna anne anthony arjun ben
  benjamin beth bob brian carlos carol caroline charles charlie chen chris christina christopher claire daniel dave david
  deepak diana dmitri elena elizabeth emily emma eric erik eva fatima frank gary george grace hannah harry hassan helen
  henry ian igor ivan jack jake james jamie jane jason jeff jennifer jessica jim joe john jon jonathan jorge jose joseph
  josh julia julie karen kate kevin kim laura lee li liam linda lisa lucas lucy luis maria mark martin mary matt matthew
  max michael michelle mike mohammed mohamed nathan nick nicole nina noah olga oliver olivia omar paul pedro peter priya
  rachel rahul raj ravi rebecca richard rob robert ryan sam samuel sandra sara sarah scott sean sofia sophie stephen
  steve steven susan tom thomas tim tina tony victor wei william yuki zoe`.split(/\s+/),
);

interface Word {
  text: string;
  start: number;
  end: number;
}

const WORD_CHARS = /[\p{L}\p{N}@._'’-]/u;

function trimWordEdges(text: string, start: number, end: number): Word {
  // Dots and dashes belong inside handles (alice.smith) but not at the edges (end of a sentence).
  while (end > start && /[.\-'’_]/.test(text.charAt(end - 1))) end--;
  while (start < end && /[.\-'’_]/.test(text.charAt(start))) start++;
  return { text: text.slice(start, end), start, end };
}

/** The word ending just before `index` (skipping spaces), or null at the start of a clause. */
function wordBefore(text: string, index: number): Word | null {
  let end = index;
  while (end > 0 && /[ \t]/.test(text.charAt(end - 1))) end--;
  let start = end;
  while (start > 0 && WORD_CHARS.test(text.charAt(start - 1))) start--;
  if (start === end) return null;
  return trimWordEdges(text, start, end);
}

/** The word starting just after `index` (skipping spaces). */
function wordAfter(text: string, index: number): Word | null {
  let start = index;
  while (start < text.length && /[ \t]/.test(text.charAt(start))) start++;
  let end = start;
  while (end < text.length && WORD_CHARS.test(text.charAt(end))) end++;
  if (start === end) return null;
  return trimWordEdges(text, start, end);
}

/** Whether a word begins a sentence (text start, after . ! ? or a line break, bullet or opening bracket). */
function atSentenceStart(text: string, wordStart: number): boolean {
  let i = wordStart - 1;
  while (i >= 0 && /[ \t"“‘'(*•–—-]/.test(text.charAt(i))) i--;
  return i < 0 || /[.!?\n\r]/.test(text.charAt(i));
}

function stripPossessive(word: string): string {
  return word.replace(/['’]s?$/, '');
}

interface NameContext {
  known: Set<string>;
  allowPronouns: 'none' | 'singular' | 'all';
}

/** A "name": a known name, an @handle, or a capitalised word that is not a common non-name word. */
function isName(text: string, word: Word, ctx: NameContext): boolean {
  const bare = stripPossessive(word.text);
  const lower = bare.toLowerCase();
  if (ctx.known.has(lower)) return true;
  if (ctx.allowPronouns === 'all' && PRONOUNS.has(lower)) return true;
  if (ctx.allowPronouns === 'singular' && SINGULAR_PRONOUNS.has(lower)) return true;
  if (/^@[\p{L}\p{N}._-]+$/u.test(bare)) return true;
  // Title case only: "AWS", "PagerDuty" and "iOS" are products, not people.
  if (!/^\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?$/u.test(bare)) return false;
  if (NOT_NAMES.has(lower)) return false;
  if (atSentenceStart(text, word.start)) return COMMON_FIRST_NAMES.has(lower);
  return true;
}

/** Extends a name backwards over a preceding capitalised word, so "Alice Smith" is highlighted whole. */
function fullNameStart(text: string, word: Word, ctx: NameContext): number {
  const prev = wordBefore(text, word.start);
  if (prev && prev.end === word.start - 1 && /^\p{Lu}\p{Ll}+$/u.test(prev.text) && !NOT_NAMES.has(prev.text.toLowerCase())) {
    if (ctx.known.has(prev.text.toLowerCase()) || COMMON_FIRST_NAMES.has(prev.text.toLowerCase()) || !atSentenceStart(text, prev.start)) return prev.start;
  }
  return word.start;
}

/** Softeners that may sit between the person and the verb: "Bob simply forgot to", "she accidentally broke". */
const ADVERBS = new Set(
  'just simply also again apparently clearly obviously completely totally then accidentally inadvertently probably really definitely certainly once still evidently'.split(' '),
);

/** The subject word before a verb phrase, skipping one or two adverbs. */
function subjectBefore(text: string, index: number): Word | null {
  let word = wordBefore(text, index);
  for (let i = 0; i < 2 && word && ADVERBS.has(word.text.toLowerCase()); i++) word = wordBefore(text, word.start);
  return word;
}

/** "No one is to blame", "nobody was at fault": the blameless statement itself must not be flagged. */
function isNegated(text: string, index: number): boolean {
  return /\b(?:no\s*one|nobody|not|never|no|\w+n['’]t)\s+(?:\w+\s+){0,2}$/i.test(text.slice(Math.max(0, index - 40), index));
}

// ---------------------------------------------------------------------------------------------------------
// Rules

type Finder = (text: string, ctx: NameContext, add: (start: number, end: number, rule: BlamelessRuleId) => void) => void;

function eachMatch(pattern: RegExp, text: string, fn: (m: RegExpExecArray) => void): void {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = re.exec(text); m; m = re.exec(text)) fn(m);
}

const findHumanError: Finder = (text, _ctx, add) => {
  // "user error rate", "user error messages" are metrics and UI, not a verdict on a person.
  eachMatch(
    /\b(?:human|operator|user|engineer|developer|personnel)[- ]errors?\b(?![- ](?:rates?|codes?|messages?|pages?|counts?|ratio|budget|metrics?|logs?|responses?|dialogs?|states?|handling)\b)/gi,
    text,
    (m) => add(m.index, m.index + m[0].length, 'human-error'),
  );
};

/** Judgemental words. "lazy loading" and friends are engineering terms, not judgements. */
const findJudgement: Finder = (text, _ctx, add) => {
  eachMatch(
    /\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|slopp(?:y|ily|iness)|incompeten(?:t|tly|ce)|lazy|lazily|laziness|stupid(?:ly|ity)?|dumb\s+(?:mistake|error|move)|idiot(?:ic|s)?|reckless(?:ly|ness)?)\b/gi,
    text,
    (m) => {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
      if (/^lazy|^lazily/i.test(m[0]) && /^[\s-]*(?:load|init|eval|instantiat|fetch|compil|import|evaluat|initiali[sz])/i.test(after)) return;
      add(m.index, m.index + m[0].length, 'judgement');
    },
  );
};

/** "<Name> should have …" (not "should have known", which has its own rule; not "should have been paged"). */
const findShouldHave: Finder = (text, ctx, add) => {
  eachMatch(/\bshould(?:\s+have|['’]ve)\b/gi, text, (m) => {
    const tail = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    if (/^\s+known\b/i.test(tail)) return;
    // Passive: the person is the one who was not told, not the one at fault.
    if (/^\s+been\s+(?:paged|notified|told|alerted|informed|escalated|called|contacted|consulted|included|looped|woken|involved|invited|given|asked)\b/i.test(tail)) return;
    const subject = subjectBefore(text, m.index);
    const nameCtx = { ...ctx, allowPronouns: 'singular' as const };
    if (subject && isName(text, subject, nameCtx)) add(fullNameStart(text, subject, nameCtx), m.index + m[0].length, 'should-have');
  });
};

const findShouldHaveKnown: Finder = (text, _ctx, add) => {
  eachMatch(/\bshould(?:\s+have|['’]ve)\s+known\b/gi, text, (m) => add(m.index, m.index + m[0].length, 'should-have-known'));
};

const findHindsightWords: Finder = (text, _ctx, add) => {
  eachMatch(/\b(?:obviously|(?:simply|just|clearly)\s+should(?:\s+have|['’]ve)?)\b/gi, text, (m) => add(m.index, m.index + m[0].length, 'hindsight-words'));
};

/** "<Name>'s fault", "his fault", "fault of <Name>", "blamed <Name>", "to blame", "at fault". */
const findFault: Finder = (text, ctx, add) => {
  const personCtx = { ...ctx, allowPronouns: 'none' as const };
  eachMatch(/(?<![\p{L}\p{N}@._-])([\p{L}@][\p{L}\p{N}._-]*)['’]s?\s+fault\b/giu, text, (m) => {
    const name = m[1] ?? ''; // the group is not optional: it is there whenever the pattern matched
    const word = { text: name, start: m.index, end: m.index + name.length };
    if (isName(text, word, personCtx)) add(fullNameStart(text, word, personCtx), m.index + m[0].length, 'fault');
  });
  eachMatch(/\b(?:his|her|their|my|your)\s+fault\b/gi, text, (m) => {
    if (!isNegated(text, m.index)) add(m.index, m.index + m[0].length, 'fault');
  });
  eachMatch(/\bfault\s+of\b/gi, text, (m) => {
    const next = wordAfter(text, m.index + m[0].length);
    if (next && !isNegated(text, m.index) && (isName(text, next, personCtx) || /^(?:him|her|them|me)$/i.test(next.text))) add(m.index, next.end, 'fault');
  });
  // "git blame" is a tool; "blameless" does not match the word boundary.
  eachMatch(/\b(?:blam(?:e|ed|es|ing))\b/gi, text, (m) => {
    const before = wordBefore(text, m.index);
    if (before && /^git$/i.test(before.text)) return;
    if (isNegated(text, before && /^to$/i.test(before.text) ? before.start : m.index)) return;
    if (before && /^to$/i.test(before.text)) {
      add(before.start, m.index + m[0].length, 'fault');
      return;
    }
    const next = wordAfter(text, m.index + m[0].length);
    if (!next) return;
    if (/^(?:him|her|them|me|you)$/i.test(next.text) || isName(text, next, personCtx)) {
      add(m.index, next.end, 'fault');
    } else if (/^(?:on|the)$/i.test(next.text)) {
      // "put the blame on Bob", "blame the on-call"? Only when a person follows.
      const target = wordAfter(text, next.end);
      if (target && (isName(text, target, personCtx) || /^(?:him|her|them|me)$/i.test(target.text))) add(m.index, target.end, 'fault');
    }
  });
  // "Bob was at fault" (a person), not "the NIC was at fault" (a component).
  eachMatch(/\b(?:is|was|were|are)\s+at\s+fault\b/gi, text, (m) => {
    const subject = subjectBefore(text, m.index);
    const singular = { ...ctx, allowPronouns: 'singular' as const };
    if (subject && isName(text, subject, singular) && !isNegated(text, m.index)) add(fullNameStart(text, subject, singular), m.index + m[0].length, 'fault');
  });
};

/** "Bob forgot to", "she failed to", "I neglected to", "they didn't bother". */
const findOmission: Finder = (text, ctx, add) => {
  const nameCtx = { ...ctx, allowPronouns: 'all' as const };
  eachMatch(/\b(?:forgot\s+(?:to|about)|failed\s+to|neglected\s+to|didn['’]?t\s+bother|did\s+not\s+bother)\b/gi, text, (m) => {
    const subject = subjectBefore(text, m.index);
    if (subject && isName(text, subject, nameCtx)) add(fullNameStart(text, subject, nameCtx), m.index + m[0].length, 'omission');
  });
};

/** "<Name> broke …", "caused by <Name>". */
const findPersonCaused: Finder = (text, ctx, add) => {
  const nameCtx = { ...ctx, allowPronouns: 'singular' as const };
  eachMatch(/\bbroke\b/gi, text, (m) => {
    const subject = subjectBefore(text, m.index);
    if (subject && isName(text, subject, nameCtx)) add(fullNameStart(text, subject, nameCtx), m.index + m[0].length, 'person-caused');
  });
  eachMatch(/\bcaused\s+by\b/gi, text, (m) => {
    const next = wordAfter(text, m.index + m[0].length);
    if (next && (isName(text, next, { ...ctx, allowPronouns: 'none' }) || /^(?:him|her|me)$/i.test(next.text))) {
      // Include a surname: "caused by Alice Smith".
      const after = wordAfter(text, next.end);
      const end = after && after.start === next.end + 1 && /^\p{Lu}\p{Ll}+$/u.test(after.text) && !NOT_NAMES.has(after.text.toLowerCase()) ? after.end : next.end;
      add(m.index, end, 'person-caused');
    }
  });
};

const FINDERS: Finder[] = [findHumanError, findShouldHaveKnown, findShouldHave, findJudgement, findFault, findOmission, findPersonCaused, findHindsightWords];

/**
 * Findings in text order. Where two rules flag overlapping text, the first (earliest-starting, then longest)
 * is kept, so the editor never has to draw overlapping highlights.
 */
export function checkBlameless(text: string, opts: BlamelessOptions = {}): BlamelessFinding[] {
  const known = new Set((opts.knownNames ?? []).flatMap((n) => n.toLowerCase().split(/\s+/)).filter((w) => w.length > 1));
  const ctx: NameContext = { known, allowPronouns: 'none' };
  const raw: { start: number; end: number; rule: BlamelessRuleId }[] = [];
  for (const find of FINDERS) find(text, ctx, (start, end, rule) => raw.push({ start, end, rule }));

  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof raw = [];
  for (const f of raw) {
    const last = kept[kept.length - 1];
    if (last && f.start < last.end) continue;
    kept.push(f);
  }
  return kept.map(({ start, end, rule }) => ({ start, end, phrase: text.slice(start, end), rule, ...BLAMELESS_RULES[rule] }));
}
