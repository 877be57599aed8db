// The local site's page editor: a page is a list of blocks — text (paragraphs), app macros (ADF
// extension nodes, as Confluence stores Forge macros) and other content kept as it is. Publishing PUTs
// the page through the Confluence REST API with the next version number; a conflict keeps what you typed.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('page-data').textContent);
  var root = document.getElementById('editor');
  var status = document.getElementById('editor-status');
  var version = data.version;
  var blocks = [];

  function textOf(node) {
    if (node.type === 'text') return node.text || '';
    return (node.content || []).map(textOf).join('');
  }

  // Consecutive paragraphs become one text block; extensions become macro blocks; the rest is kept.
  (data.adf.content || []).forEach(function (node) {
    var last = blocks[blocks.length - 1];
    if (node.type === 'paragraph') {
      if (last && last.kind === 'text') last.text += '\n\n' + textOf(node);
      else blocks.push({ kind: 'text', text: textOf(node) });
    } else if (node.type === 'extension' || node.type === 'bodiedExtension') {
      blocks.push({ kind: 'macro', node: node });
    } else {
      blocks.push({ kind: 'kept', node: node });
    }
  });
  if (!blocks.length) blocks.push({ kind: 'text', text: '' });

  function uuid() {
    return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
  }

  function macroNode(macro) {
    var localId = uuid();
    return {
      type: 'extension',
      attrs: {
        extensionType: 'com.atlassian.ecosystem',
        extensionKey: macro.extensionKey,
        parameters: { localId: localId, extensionId: macro.extensionId, extensionTitle: macro.title, guestParams: {} },
        layout: 'default',
        localId: localId,
      },
    };
  }

  function button(label, onClick, testId) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    if (testId) b.dataset.testid = testId;
    b.addEventListener('click', onClick);
    return b;
  }

  function render() {
    root.innerHTML = '';
    blocks.forEach(function (block, i) {
      var box = document.createElement('div');
      box.className = 'editor-block';
      if (block.kind === 'text') {
        var ta = document.createElement('textarea');
        ta.value = block.text;
        ta.setAttribute('aria-label', 'Text block ' + (i + 1));
        ta.addEventListener('input', function () { block.text = ta.value; });
        box.appendChild(ta);
      } else {
        var label = document.createElement('div');
        label.className = 'macro-label';
        var title = block.kind === 'macro' ? (block.node.attrs.parameters || {}).extensionTitle || block.node.attrs.extensionKey : block.node.type;
        label.textContent = (block.kind === 'macro' ? 'Macro: ' : 'Kept content: ') + title;
        box.appendChild(label);
      }
      var bar = document.createElement('div');
      bar.className = 'toolbar';
      bar.appendChild(button('Remove', function () { blocks.splice(i, 1); render(); }));
      box.appendChild(bar);
      root.appendChild(box);
    });
    var add = document.createElement('div');
    add.className = 'toolbar';
    add.appendChild(button('Add text', function () { blocks.push({ kind: 'text', text: '' }); render(); }));
    data.macros.forEach(function (macro) {
      add.appendChild(button('Insert ' + macro.title + ' macro', function () { blocks.push({ kind: 'macro', node: macroNode(macro) }); render(); }, 'insert-' + macro.key));
    });
    root.appendChild(add);
  }

  function toAdf() {
    var content = [];
    blocks.forEach(function (block) {
      if (block.kind === 'text') {
        block.text.split(/\n{2,}/).map(function (s) { return s.trim(); }).filter(Boolean).forEach(function (para) {
          content.push({ type: 'paragraph', content: [{ type: 'text', text: para }] });
        });
      } else {
        content.push(block.node);
      }
    });
    return { type: 'doc', version: 1, content: content };
  }

  document.getElementById('publish').addEventListener('click', async function () {
    status.textContent = 'Publishing…';
    var res = await fetch('/wiki/api/v2/pages/' + data.id, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: data.id,
        status: 'current',
        title: document.getElementById('page-title').value,
        body: { representation: 'atlas_doc_format', value: JSON.stringify(toAdf()) },
        version: { number: version + 1 },
      }),
    });
    if (res.ok) {
      window.location.assign('/wiki/pages/' + data.id);
      return;
    }
    var body = await res.json().catch(function () { return {}; });
    var msg = (body.errors && body.errors[0] && body.errors[0].title) || (body.errorMessages || []).join(' ') || 'Confluence answered ' + res.status;
    status.textContent = res.status === 409
      ? 'Someone else published a newer version. Your text is still here: copy it, reload, and merge. (' + msg + ')'
      : 'Not published: ' + msg;
    status.className = 'error';
  });

  render();
})();
