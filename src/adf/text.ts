/** The text of an ADF node and everything under it, for finding the marker line the app puts in its comments. */
export function adfText(node: unknown): string {
  const n = node as { text?: string; content?: unknown[] } | null;
  if (!n || typeof n !== 'object') return '';
  return (n.text ?? '') + (n.content ?? []).map(adfText).join(' ');
}
