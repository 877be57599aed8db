/** What every section needs: the document, how to change it, whether it is locked, the site's time zone. */
import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ActionItemOwner, Postmortem } from '../../../src/contract/postmortem';
import type { MacroSettings } from '../../../src/contract/postmortem-macro';
import { checkBlameless } from '../../../src/domain/blameless';
import { listErrors } from '../../../src/domain/list-limits';
import type { Autosave } from './useAutosave';

export interface DocContext {
  pm: Postmortem;
  edit: Autosave['edit'];
  /** Read-only viewer, or a conflict being resolved. */
  locked: boolean;
  settings: MacroSettings;
  fieldErrors: Record<string, string>;
  /** Names of the people in the document, so the blameless check knows them as names. */
  knownNames: string[];
  /** Everything typed is stored: actions that read the stored document (creating Jira issues) wait for this. */
  saved: boolean;
}

const Ctx = createContext<DocContext | null>(null);
export const DocProvider = Ctx.Provider;

export function useDoc(): DocContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useDoc outside DocProvider');
  return ctx;
}

export function knownNamesOf(pm: Postmortem): string[] {
  const people: (ActionItemOwner | null)[] = [pm.incidentOwner, ...pm.attendees, ...pm.stakeholders];
  const names = new Set<string>();
  for (const p of people) if (p && p.kind === 'user' && p.displayName.trim() && !p.displayName.includes('@')) names.add(p.displayName.trim());
  for (const e of pm.timeline) if (e.author?.trim()) names.add(e.author.trim());
  return [...names];
}

/** `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** A labelled field with its blameless writing hint, its save error and (optionally) the blameless check. */
export function Field(props: { id: string; label: string; hint?: string; error?: string; children: ReactNode; check?: string }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <div className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      )}
      {props.children}
      {props.error && (
        <div className="field-error" id={`${props.id}-error`}>
          {props.error}
        </div>
      )}
      {props.check !== undefined && <BlamelessCheck id={props.id} label={props.label} text={props.check} />}
    </div>
  );
}

/** Findings of the blameless check for one piece of text: the phrase, why it reads as blame, a rewording. */
export function BlamelessCheck(props: { id: string; label: string; text: string }) {
  const { knownNames } = useDoc();
  const text = useDebounced(props.text, 350);
  const namesKey = knownNames.join('\u0000');
  const findings = useMemo(() => (text.trim() ? checkBlameless(text, { knownNames: namesKey ? namesKey.split('\u0000') : [] }) : []), [text, namesKey]);
  if (!findings.length) return null;
  return (
    <div className="blameless" id={`${props.id}-blameless`} role="note" aria-label={`Blameless check for ${props.label}`}>
      <ul>
        {findings.map((f) => (
          <li key={`${f.start}-${f.rule}`}>
            <mark>“{f.phrase}”</mark> {f.message} <span className="suggestion">Try: {f.suggestion}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Text areas waiting to be fitted to their text. They are fitted together, once the current task's layout effects
 * have all run: every height is reset first, then all are measured (one layout for all), then all are set. Fitting
 * each on its own forces a layout of the whole frame per text area (a postmortem with 50 items has over 50 of them).
 */
const toFit = new Set<HTMLTextAreaElement>();
const fittedWidth = new WeakMap<HTMLTextAreaElement, number>();

function fitQueued(): void {
  const els = [...toFit].filter((el) => el.isConnected);
  toFit.clear();
  for (const el of els) el.style.height = 'auto'; // back to the rows' height, so that the text's own height can be read
  const sizes = els.map((el) => ({ el, border: el.offsetHeight - el.clientHeight, max: parseFloat(getComputedStyle(el).maxHeight) || Infinity, text: el.scrollHeight, width: el.clientWidth }));
  for (const { el, border, max, text, width } of sizes) {
    const wanted = text + border;
    el.style.height = `${Math.min(wanted, max)}px`;
    el.style.overflowY = wanted > max ? 'auto' : 'hidden';
    fittedWidth.set(el, width);
  }
}

function fitSoon(el: HTMLTextAreaElement): void {
  if (!toFit.size) queueMicrotask(fitQueued);
  toFit.add(el);
}

/** The browser sizes text areas to their text (CSS `field-sizing`, postmortem.css): nothing to measure here. */
const SIZED_BY_BROWSER = typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');

/** A narrower frame wraps more lines: a text area is fitted again when its width changes (one observer for all). */
const widthWatch =
  typeof ResizeObserver === 'undefined'
    ? undefined
    : new ResizeObserver((entries) => {
        for (const { target } of entries) {
          const el = target as HTMLTextAreaElement;
          if (fittedWidth.has(el) && el.clientWidth !== fittedWidth.get(el)) fitSoon(el);
        }
      });

/**
 * A text area as tall as its text, wrapped lines included (measured, not counted by line breaks), up to a
 * limit (CSS `max-height`) past which it scrolls — for editors and read-only readers alike.
 */
export function TextArea(props: { id: string; value: string; onChange: (v: string) => void; rows?: number; placeholder?: string; ariaLabel?: string; invalid?: boolean }) {
  const { locked } = useDoc();
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || SIZED_BY_BROWSER) return;
    fitSoon(el);
    widthWatch?.observe(el);
    return () => {
      widthWatch?.unobserve(el);
      toFit.delete(el);
    };
  }, [props.value, locked]);
  return (
    <textarea
      ref={ref}
      id={props.id}
      className="fit-text"
      aria-label={props.ariaLabel}
      aria-describedby={`${props.id}-hint`}
      aria-invalid={props.invalid || undefined}
      rows={locked ? 1 : (props.rows ?? 3)}
      style={{ ['--fit-rows' as string]: locked ? 1 : (props.rows ?? 3) }}
      value={props.value}
      placeholder={locked ? 'Not filled in yet.' : props.placeholder}
      disabled={locked}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

export function Section(props: { id: string; title: string; hint?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="pm-section" id={props.id}>
      <div className="section-head">
        <h2 id={`${props.id}-heading`}>{props.title}</h2>
        {props.actions}
      </div>
      {props.hint && <p className="section-hint">{props.hint}</p>}
      {props.children}
    </section>
  );
}

/**
 * The save's complaints about a list (too many entries, or an entry's field no row shows) where the list is,
 * so that "Fix the highlighted fields" always points somewhere: `label(i)` names the i-th entry.
 */
export function ListErrors(props: { field: string; label: (index: number) => string; shownByRow?: (key: string) => boolean }) {
  const { fieldErrors } = useDoc();
  const errors = listErrors(fieldErrors, props.field, props.shownByRow);
  if (!errors.length) return null;
  return (
    <div className="field-error list-errors" role="alert" data-field={props.field}>
      {errors.map((e) => (
        <div key={e.key}>{e.index === null ? e.message : `${props.label(e.index)}: ${e.message}`}</div>
      ))}
    </div>
  );
}
