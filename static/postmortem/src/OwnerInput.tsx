import { useEffect, useState } from 'react';
import type { ActionItemOwner } from '../../../src/contract/postmortem';

/** "Alice Ng <alice@example.com>" → a person with an email id; anything else is its own id and name. */
export function parseOwner(kind: ActionItemOwner['kind'], text: string): ActionItemOwner | null {
  const t = text.trim();
  if (!t) return null;
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(t);
  if (kind === 'user' && m && m[2].trim()) return { kind, id: m[2].trim(), displayName: m[1].trim() || m[2].trim() };
  return { kind, id: t, displayName: t };
}

export function ownerText(o: ActionItemOwner | null): string {
  if (!o) return '';
  return o.kind === 'user' && o.id !== o.displayName ? `${o.displayName} <${o.id}>` : o.displayName || o.id;
}

const same = (a: ActionItemOwner | null, b: ActionItemOwner | null) => (a === null ? b === null : b !== null && a.kind === b.kind && a.id === b.id && a.displayName === b.displayName);

/** Person or team, and a name (for a person optionally "Name <email or accountId>"). */
export function OwnerInput(props: { id: string; label: string; value: ActionItemOwner | null; onChange: (o: ActionItemOwner | null) => void; disabled: boolean; defaultKind?: ActionItemOwner['kind'] }) {
  const [kind, setKind] = useState<ActionItemOwner['kind']>(props.value?.kind ?? props.defaultKind ?? 'team');
  const [text, setText] = useState(ownerText(props.value));
  // Someone else's change (a merge) replaces what is shown; my own typing is left alone.
  useEffect(() => {
    setText((t) => (same(parseOwner(props.value?.kind ?? kind, t), props.value) ? t : ownerText(props.value)));
    if (props.value) setKind(props.value.kind);
  }, [props.value]);

  if (props.disabled) {
    const o = props.value;
    return (
      <div className="owner-input">
        <input id={props.id} type="text" aria-label={props.label} disabled value={o ? `${ownerText(o)} (${o.kind === 'team' ? 'team' : 'person'})` : ''} placeholder="—" />
      </div>
    );
  }
  return (
    <div className="owner-input">
      <select id={`${props.id}-kind`} aria-label={`${props.label}: person or team`} value={kind} disabled={props.disabled} onChange={(e) => {
        const k = e.target.value as ActionItemOwner['kind'];
        setKind(k);
        props.onChange(parseOwner(k, text));
      }}>
        <option value="user">Person</option>
        <option value="team">Team</option>
      </select>
      <input
        id={props.id}
        type="text"
        aria-label={props.label}
        value={text}
        disabled={props.disabled}
        placeholder={props.disabled ? undefined : kind === 'team' ? 'Team name' : 'Name <email or account id>'}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(parseOwner(kind, e.target.value));
        }}
      />
    </div>
  );
}
