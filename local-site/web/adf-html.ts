/**
 * Renders ADF (Atlassian Document Format) to HTML for the site's Confluence page and Jira issue screens.
 * Forge macros (extension nodes of this app) become Custom UI iframes through `renderMacro`.
 */
import { html, Html, esc } from './html';

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export type MacroRenderer = (node: AdfNode) => Html;

/** A copy of the document whose mentions carry the named person's display name as their text. */
export function withMentionNames(doc: unknown, nameOf: (accountId: string) => string | undefined): unknown {
  const walk = (n: unknown): unknown => {
    if (!n || typeof n !== 'object') return n;
    const node = n as AdfNode;
    if (node.type === 'mention') {
      const name = nameOf(String(node.attrs?.id ?? ''));
      return name ? { ...node, attrs: { ...node.attrs, text: `@${name}` } } : node;
    }
    return Array.isArray(node.content) ? { ...node, content: node.content.map(walk) as AdfNode[] } : node;
  };
  return walk(doc);
}

export function adfToHtml(doc: unknown, renderMacro?: MacroRenderer): Html {
  const node = doc as AdfNode | null;
  if (!node || typeof node !== 'object') return html``;
  return renderNode(node, renderMacro);
}

function children(node: AdfNode, renderMacro?: MacroRenderer): Html {
  return new Html((node.content ?? []).map((c) => renderNode(c, renderMacro).value).join(''));
}

function renderText(node: AdfNode): Html {
  let out = esc(node.text ?? '');
  for (const mark of node.marks ?? []) {
    switch (mark.type) {
      case 'strong': out = `<strong>${out}</strong>`; break;
      case 'em': out = `<em>${out}</em>`; break;
      case 'code': out = `<code>${out}</code>`; break;
      case 'strike': out = `<s>${out}</s>`; break;
      case 'underline': out = `<u>${out}</u>`; break;
      case 'link': {
        const href = String(mark.attrs?.href ?? '');
        // Only web links are rendered as links: a javascript: URL in a document stays inert text.
        out = /^(https?:|\/|mailto:)/i.test(href) ? `<a href="${esc(href)}">${out}</a>` : out;
        break;
      }
      default: break;
    }
  }
  return new Html(out);
}

function renderNode(node: AdfNode, renderMacro?: MacroRenderer): Html {
  const inner = () => children(node, renderMacro);
  switch (node.type) {
    case 'doc': return inner();
    case 'paragraph': return html`<p>${inner()}</p>`;
    case 'text': return renderText(node);
    case 'hardBreak': return html`<br/>`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level ?? 2)));
      return new Html(`<h${level}>${inner().value}</h${level}>`);
    }
    case 'bulletList': return html`<ul>${inner()}</ul>`;
    case 'orderedList': return html`<ol>${inner()}</ol>`;
    case 'listItem': return html`<li>${inner()}</li>`;
    case 'blockquote': return html`<blockquote>${inner()}</blockquote>`;
    case 'codeBlock': return html`<pre><code>${inner()}</code></pre>`;
    case 'rule': return html`<hr/>`;
    case 'panel': return html`<div class="adf-panel adf-panel-${String(node.attrs?.panelType ?? 'info')}">${inner()}</div>`;
    case 'table': return html`<table class="adf-table">${inner()}</table>`;
    case 'tableRow': return html`<tr>${inner()}</tr>`;
    case 'tableHeader': return html`<th>${inner()}</th>`;
    case 'tableCell': return html`<td>${inner()}</td>`;
    case 'mention': return html`<span class="adf-mention">@${String(node.attrs?.text ?? node.attrs?.id ?? '').replace(/^@/, '')}</span>`;
    case 'emoji': return html`${String(node.attrs?.text ?? node.attrs?.shortName ?? '')}`;
    case 'date': return html`<time>${new Date(Number(node.attrs?.timestamp ?? 0)).toISOString().slice(0, 10)}</time>`;
    case 'status': return html`<span class="adf-status">${String(node.attrs?.text ?? '')}</span>`;
    case 'inlineCard':
    case 'blockCard': {
      const url = String(node.attrs?.url ?? '');
      return /^(https?:|\/)/i.test(url) ? html`<a href="${url}">${url}</a>` : html`${url}`;
    }
    case 'extension':
    case 'bodiedExtension':
    case 'inlineExtension':
      return renderMacro ? renderMacro(node) : html`<div class="adf-extension">[${String(node.attrs?.extensionKey ?? 'macro')}]</div>`;
    default:
      return inner();
  }
}

/** Plain text of an ADF document (for previews and search). */
export function adfText(doc: unknown): string {
  const node = doc as AdfNode | null;
  if (!node || typeof node !== 'object') return '';
  if (node.type === 'text') return node.text ?? '';
  const sep = ['paragraph', 'heading', 'listItem', 'codeBlock'].includes(node.type) ? '\n' : '';
  return (node.content ?? []).map(adfText).join('') + sep;
}
