import { JqlError } from './types';

/**
 * Tokens of JQL. Keywords (AND, OR, NOT, IN, IS, EMPTY, ORDER BY...) are not separate token types:
 * they are unquoted words the parser recognises case-insensitively, because the same word quoted
 * ("order") is an ordinary value.
 */
export type TokenType =
  | 'word' // unquoted run of characters: field names, values, keywords, function names
  | 'string' // "double" or 'single' quoted, escapes already resolved
  | 'op' // = != < <= > >= ~ !~
  | 'bang' // ! on its own (NOT)
  | 'and' // && or &
  | 'or' // || or |
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'eof';

export interface Token {
  type: TokenType;
  /** The value: a word's text or a string's content (unescaped). */
  text: string;
  /** The text as written in the query, for error messages. */
  raw: string;
  /** Offset in the query. */
  pos: number;
}

/** Jira's error suffix: 1-based line and character of an offset. */
export function where(jql: string, pos: number): string {
  const before = jql.slice(0, pos).split('\n');
  return `(line ${before.length}, character ${before[before.length - 1].length + 1})`;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', ' ': ' ' };

/**
 * Characters that end an unquoted word. Deliberately permissive otherwise (`.`, `[`, `]`, `-`, `:`,
 * `*`, `/` stay inside words) so that `cf[10010]`, `issue.property[pm-item].pageId`, `-14d`,
 * `557058:abc-123` and `2026/11/20` lex as one word, as they do in Jira.
 */
const WORD_BREAK = /[\s()",'=!<>~&|]/;

export function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, pos: number): never => {
    throw new JqlError([`Error in the JQL Query: ${message} ${where(jql, pos)}`]);
  };

  /** Reads a backslash escape at `i` (pointing at the backslash); returns the character and the new index. */
  const escape = (at: number, context: string): [string, number] => {
    const c = jql[at + 1];
    if (c === undefined) fail(`The escape sequence '\\' in string '${context}' is illegal.`, at);
    if (c === 'u') {
      const hex = jql.slice(at + 2, at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`The escape sequence '\\u${hex}' in string '${context}' is illegal.`, at);
      return [String.fromCharCode(parseInt(hex, 16)), at + 6];
    }
    const simple = SIMPLE_ESCAPES[c];
    if (simple === undefined) fail(`The escape sequence '\\${c}' in string '${context}' is illegal.`, at);
    return [simple, at + 2];
  };

  while (i < jql.length) {
    const c = jql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    const two = jql.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '!~') {
      tokens.push({ type: 'op', text: two, raw: two, pos: start });
      i += 2;
    } else if (c === '=' || c === '<' || c === '>' || c === '~') {
      tokens.push({ type: 'op', text: c, raw: c, pos: start });
      i++;
    } else if (c === '!') {
      tokens.push({ type: 'bang', text: c, raw: c, pos: start });
      i++;
    } else if (c === '&' || c === '|') {
      const len = jql[i + 1] === c ? 2 : 1;
      tokens.push({ type: c === '&' ? 'and' : 'or', text: jql.slice(i, i + len), raw: jql.slice(i, i + len), pos: start });
      i += len;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, raw: c, pos: start });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= jql.length) fail(`The quoted string '${value}' has not been completed.`, start);
        const d = jql[i];
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const [ch, next] = escape(i, value);
          value += ch;
          i = next;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ type: 'string', text: value, raw: jql.slice(start, i), pos: start });
    } else {
      let value = '';
      while (i < jql.length && !WORD_BREAK.test(jql[i])) {
        if (jql[i] === '\\') {
          const [ch, next] = escape(i, value);
          value += ch;
          i = next;
        } else {
          value += jql[i];
          i++;
        }
      }
      tokens.push({ type: 'word', text: value, raw: jql.slice(start, i), pos: start });
    }
  }
  tokens.push({ type: 'eof', text: '', raw: '', pos: jql.length });
  return tokens;
}
