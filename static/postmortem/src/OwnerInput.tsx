import { useEffect, useRef, useState } from 'react';
import type { ActionItemOwner } from '../../../src/contract/postmortem';
import type { PersonMatch, PostmortemMacroDefinitions } from '../../../src/contract/postmortem-macro';
import { typedInvoke } from '../../shared/invoke';

const call = typedInvoke<PostmortemMacroDefinitions>();
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** "Alice Ng <alice@example.com>" → a person with an email id; anything else is its own id and name. */
export function parseOwner(kind: ActionItemOwner['kind'], text: string): ActionItemOwner | null {
  const t = text.trim();
  if (!t) return null;
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(t);
  const id = m?.[2]?.trim();
  if (kind === 'user' && id) return { kind, id, displayName: m?.[1]?.trim() || id };
  return { kind, id: t, displayName: t };
}

export function ownerText(o: ActionItemOwner | null): string {
  if (!o) return '';
  return o.kind === 'user' && o.id !== o.displayName ? `${o.displayName} <${o.id}>` : o.displayName || o.id;
}

/**
 * Person or team, guessed from what was typed: an email ("eden@example.com", "Eden <eden@example.com>"), a
 * "Name <account id>", or exactly the name of a Jira user is a person; anything else is a team.
 */
export function guessOwner(text: string, people: PersonMatch[] | undefined): { owner: ActionItemOwner | null; why: string } {
  const t = text.trim();
  if (!t) return { owner: null, why: '' };
  const bracketed = /^(.*?)\s*<([^<>]+)>$/.exec(t);
  const bracketedId = bracketed?.[2]?.trim();
  if (bracketedId) return { owner: parseOwner('user', t), why: EMAIL.test(bracketedId) ? 'an email address' : 'a Jira account' };
  if (EMAIL.test(t)) return { owner: { kind: 'user', id: t, displayName: t }, why: 'an email address' };
  const person = people?.find((p) => p.displayName.trim().toLowerCase() === t.toLowerCase());
  if (person) return { owner: { kind: 'user', id: person.accountId, displayName: person.displayName }, why: 'a Jira user' };
  return { owner: { kind: 'team', id: t, displayName: t }, why: people ? 'no Jira user has this name' : 'not an email address' };
}

const same = (a: ActionItemOwner | null, b: ActionItemOwner | null) => (a === null ? b === null : b !== null && a.kind === b.kind && a.id === b.id && a.displayName === b.displayName);

/**
 * An owner: a person or a team. Until the kind is picked by hand, it is guessed from what is typed (looking
 * the name up in Jira), and the field says which it chose and why, so nobody's person becomes a team unseen.
 */
export function OwnerInput(props: { id: string; label: string; value: ActionItemOwner | null; onChange: (o: ActionItemOwner | null) => void; disabled: boolean }) {
  const [kind, setKind] = useState<ActionItemOwner['kind']>(props.value?.kind ?? 'team');
  // A saved owner keeps its kind; a new one is guessed until the person picks the kind themselves.
  const [picked, setPicked] = useState(props.value !== null);
  const [text, setText] = useState(ownerText(props.value));
  const [why, setWhy] = useState('');
  const lookups = useRef(new Map<string, PersonMatch[]>());
  const latest = useRef('');
  // What this field itself reported since the last outside change. A value coming back that is one of them is
  // my own typing echoed by the parent, however late it arrives (renders may lag typing): leave the text alone.
  // Any other value is someone else's change (a merge), and replaces what is shown.
  const reported = useRef<(ActionItemOwner | null)[]>([props.value]);
  const report = (o: ActionItemOwner | null) => {
    reported.current = [...reported.current.slice(-49), o];
    props.onChange(o);
  };
  useEffect(() => {
    if (reported.current.some((o) => same(o, props.value))) return;
    reported.current = [props.value];
    setText(ownerText(props.value));
    if (props.value) setKind(props.value.kind);
    // Only a change of the saved value re-syncs the field: re-running on `kind`/`picked` (the person's own
    // choices) would race their typing, and nothing typed may be lost.
     
  }, [props.value]);

  const guess = (value: string) => {
    const key = value.trim().toLowerCase();
    const g = guessOwner(value, lookups.current.get(key));
    setWhy(g.why);
    if (g.owner) setKind(g.owner.kind);
    report(g.owner);
    const needsLookup = g.owner?.kind === 'team' && !lookups.current.has(key) && key.length >= 2 && key.length <= 100;
    if (!needsLookup) return;
    latest.current = value;
    void call('findPeople', { query: value.trim() }).then((r) => {
      lookups.current.set(key, r.ok ? r.value : []);
      if (latest.current !== value) return; // typing went on: that text is guessed on its own
      const again = guessOwner(value, lookups.current.get(key));
      setWhy(again.why);
      if (again.owner) setKind(again.owner.kind);
      if (!same(again.owner, g.owner)) report(again.owner);
    });
  };

  if (props.disabled) {
    const o = props.value;
    return (
      <div className="owner-input">
        <input id={props.id} type="text" aria-label={props.label} disabled value={o ? `${ownerText(o)} (${o.kind === 'team' ? 'team' : 'person'})` : ''} placeholder="—" />
      </div>
    );
  }
  const kindText = props.value ? (props.value.kind === 'user' ? `Saved as a person: ${props.value.displayName}` : `Saved as a team: ${props.value.displayName}`) : '';
  return (
    <div>
      <div className="owner-input">
        <select
          id={`${props.id}-kind`}
          aria-label={`${props.label}: person or team`}
          value={kind}
          onChange={(e) => {
            const k = e.target.value as ActionItemOwner['kind'];
            setKind(k);
            setPicked(true);
            setWhy('');
            report(parseOwner(k, text));
          }}
        >
          <option value="user">Person</option>
          <option value="team">Team</option>
        </select>
        <input
          id={props.id}
          type="text"
          aria-label={props.label}
          aria-describedby={`${props.id}-kind-note`}
          value={text}
          placeholder="Name <email>, a Jira user's name, or a team"
          onChange={(e) => {
            setText(e.target.value);
            if (picked) report(parseOwner(kind, e.target.value));
            else guess(e.target.value);
          }}
        />
      </div>
      <div className="hint owner-kind" id={`${props.id}-kind-note`} role="status">
        {kindText && why ? `${kindText} (${why}); change it on the left if that is wrong.` : kindText}
      </div>
    </div>
  );
}
