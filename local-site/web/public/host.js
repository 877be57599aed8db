// The product frame of the local site: answers @forge/bridge calls from Custom UI iframes (what Jira and
// Confluence do around a Forge app), using the site's server for invoke and product REST calls.
(function () {
  'use strict';

  function frameFor(source) {
    var frames = document.querySelectorAll('iframe[data-forge-context]');
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === source) return frames[i];
    return null;
  }

  async function post(url, body) {
    var res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status === 403) {
      var refused = await res.json().catch(function () { return {}; });
      throw new Error(refused.error || 'Refused');
    }
    var data = await res.json();
    if (!res.ok || data.error) {
      var err = new Error(data.error || 'Request failed with ' + res.status);
      err.consentRequired = Boolean(data.consentRequired);
      throw err;
    }
    return data.result;
  }

  // What Atlassian's host does when a resolver fails with NeedsAuthenticationError: in place of the app, a
  // prompt to allow it to act for the user; once allowed, the app loads again.
  function askForConsent(frame) {
    if (!frame || frame.dataset.consentAsked) return;
    frame.dataset.consentAsked = 'true';
    var main = document.querySelector('main');
    var appTitle = (main && main.dataset.appTitle) || 'This app';
    var scopes = ((main && main.dataset.appScopes) || '').split(' ').filter(Boolean);
    var box = document.createElement('section');
    box.className = 'site-consent';
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', 'Allow access');
    var heading = document.createElement('h3');
    heading.textContent = appTitle + ' needs your permission';
    var text = document.createElement('p');
    text.textContent = 'Allow ' + appTitle + ' to access Atlassian apps on your behalf. It will be able to: ' + scopes.join(', ') + '.';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'primary';
    button.textContent = 'Allow access';
    button.addEventListener('click', async function () {
      button.disabled = true;
      await post('/__site/consent', {});
      window.location.reload();
    });
    box.appendChild(heading);
    box.appendChild(text);
    box.appendChild(button);
    frame.style.display = 'none';
    frame.parentNode.insertBefore(box, frame);
  }

  function showFlag(payload) {
    var box = document.getElementById('site-flags');
    if (!box) return;
    var flag = document.createElement('div');
    flag.className = 'site-flag site-flag-' + (payload.type || 'info');
    flag.setAttribute('role', 'alert');
    flag.dataset.flagId = payload.id || '';
    var title = document.createElement('strong');
    title.textContent = payload.title || '';
    var description = document.createElement('div');
    description.textContent = payload.description || '';
    flag.appendChild(title);
    flag.appendChild(description);
    box.appendChild(flag);
    if (payload.isAutoDismiss !== false) setTimeout(function () { flag.remove(); }, 8000);
  }

  // The navigation targets each product's host supports (@forge/bridge out/router/targets.d.ts: content and
  // spaces are Confluence's; issues, dashboards and project settings are Jira's; modules and profiles both).
  // A target the product does not support is refused; the wording of Cloud's refusal is not documented.
  var TARGETS = {
    confluence: ['contentView', 'contentEdit', 'contentList', 'spaceView', 'module', 'userProfile'],
    jira: ['issue', 'dashboard', 'projectSettingsDetails', 'module', 'userProfile'],
  };

  function navigateTo(payload, product) {
    var url = payload.url;
    if (!url && TARGETS[product].indexOf(payload.target) < 0) {
      throw new Error('Navigation target "' + payload.target + '" is not supported in ' + (product === 'jira' ? 'Jira' : 'Confluence') + '.');
    }
    if (!url && payload.target === 'issue') url = '/jira/browse/' + encodeURIComponent(payload.issueKey);
    if (!url && payload.target === 'spaceView') url = '/wiki/spaces/' + encodeURIComponent(payload.spaceKey);
    if (!url && (payload.target === 'contentView' || payload.target === 'contentEdit')) url = '/wiki/pages/' + encodeURIComponent(payload.contentId) + (payload.target === 'contentEdit' ? '/edit' : '');
    if (!url && payload.target === 'projectSettingsDetails') url = '/jira/projects/' + encodeURIComponent(payload.projectKey);
    if (!url) throw new Error('Unsupported navigation target: ' + JSON.stringify(payload));
    if (payload.type === 'new-tab') window.open(url, '_blank', 'noopener');
    else window.location.assign(url);
  }

  function openModal(frame, ctx, payload, registered) {
    var overlay = document.createElement('div');
    overlay.className = 'site-modal-overlay';
    var box = document.createElement('div');
    box.className = 'site-modal site-modal-' + (typeof payload.size === 'string' ? payload.size : 'medium');
    var modalFrame = document.createElement('iframe');
    var modalCtx = Object.assign({}, ctx, { extension: registered.extension });
    modalFrame.dataset.forgeContext = JSON.stringify(modalCtx);
    modalFrame.dataset.frameId = registered.frameId;
    modalFrame.dataset.product = frame.dataset.product;
    modalFrame.dataset.resourceOrigin = frame.dataset.resourceOrigin;
    modalFrame.dataset.resourceBase = frame.dataset.resourceBase;
    modalFrame.setAttribute('sandbox', frame.getAttribute('sandbox'));
    modalFrame.setAttribute('allow', frame.getAttribute('allow'));
    modalFrame.dataset.modal = 'true';
    modalFrame.src = payload.resource ? frame.dataset.resourceBase.replace(/[^/]+\/$/, payload.resource + '/') + 'index.html' : frame.src;
    modalFrame._onClose = payload.onClose;
    modalFrame._opener = frame;
    box.appendChild(modalFrame);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function closeModal(modalFrame, closePayload) {
    var overlay = modalFrame.closest('.site-modal-overlay');
    if (modalFrame._onClose && modalFrame._onClose.__bridgeCallback && modalFrame._opener && modalFrame._opener.contentWindow) {
      modalFrame._opener.contentWindow.postMessage({ __forgeBridgeCallback: modalFrame._onClose.__bridgeCallback, args: [closePayload] }, '*');
    }
    if (overlay) overlay.remove();
  }

  async function handle(type, payload, ctx, frame) {
    switch (type) {
      case 'getContext':
        return ctx;
      case 'invoke':
        // Only the frame is named: the server attaches the context it fixed for that frame.
        return post('/__site/bridge/invoke', { frameId: frame.dataset.frameId, functionKey: payload.functionKey, payload: payload.payload }).catch(function (e) {
          if (e.consentRequired) askForConsent(frame.dataset.modal && frame._opener ? frame._opener : frame);
          throw e;
        });
      case 'fetchProduct':
        return post('/__site/bridge/fetch-product', payload);
      case 'showFlag':
        showFlag(payload || {});
        return undefined;
      case 'closeFlag':
        var f = document.querySelector('[data-flag-id="' + CSS.escape(payload.id) + '"]');
        if (f) f.remove();
        return true;
      case 'navigate':
        navigateTo(payload || {}, frame.dataset.product);
        return true;
      case 'getUrl':
        return String(payload && payload.url ? payload.url : '/');
      case 'reload':
        window.location.reload();
        return true;
      case 'openModal':
        openModal(frame, ctx, payload || {}, await post('/__site/bridge/modal', { frameId: frame.dataset.frameId, context: (payload || {}).context || {} }));
        return true;
      case 'close':
      case 'submit':
        // A dashboard gadget's edit view: submit saves the configuration with the gadget, then Jira shows the
        // gadget's view; close leaves the edit view without saving.
        if (frame.dataset.gadgetEdit) {
          if (type === 'submit') await post('/__site/bridge/gadget-config', { frameId: frame.dataset.frameId, configuration: payload });
          window.location.assign(frame.dataset.gadgetDone);
          return true;
        }
        if (frame.dataset.modal) {
          closeModal(frame, payload);
          return true;
        }
        document.dispatchEvent(new CustomEvent('forge-' + type, { detail: { frame: frame, payload: payload } }));
        return true;
      case 'enableTheming':
        // The frame follows the host's theme: the attributes on this page's <html> and the token themes it
        // loaded (@atlaskit/tokens, as the products apply it); the bridge in the frame applies them there.
        return {
          colorMode: document.documentElement.getAttribute('data-color-mode'),
          dataTheme: document.documentElement.getAttribute('data-theme'),
          themeIds: Array.prototype.map.call(document.querySelectorAll('link[rel="stylesheet"][data-theme]'), function (l) { return l.getAttribute('data-theme'); }),
        };
      case 'emitReadyEvent':
      case 'changeWindowTitle':
      case 'emitFrontendCustomMetric':
      case 'refresh':
      case 'on':
      case 'emit':
        return undefined;
      default:
        throw new Error('The local site does not implement the bridge call "' + type + '"');
    }
  }

  window.addEventListener('message', async function (event) {
    var msg = event.data || {};
    var frame = frameFor(event.source);
    // Only the frame's own origin (the resource origin) speaks for it.
    if (!frame || event.origin !== frame.dataset.resourceOrigin) return;
    if (msg.__forgeBridgeResize) {
      frame.style.height = Math.max(60, msg.height) + 'px';
      return;
    }
    if (!msg.__forgeBridge) return;
    var ctx = JSON.parse(frame.dataset.forgeContext);
    try {
      var result = await handle(msg.type, msg.payload, ctx, frame);
      event.source.postMessage({ __forgeBridgeReply: true, id: msg.id, result: result }, event.origin);
    } catch (e) {
      event.source.postMessage({ __forgeBridgeReply: true, id: msg.id, error: String((e && e.message) || e) }, event.origin);
    }
  });
})();
