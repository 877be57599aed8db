// Injected into every Custom UI iframe by the local site, before the app's own scripts: it defines
// `globalThis.__bridge.callBridge`, the seam @forge/bridge talks to, and forwards each call to the
// host page (as the Atlassian product frame does) with postMessage. Functions in a payload (callbacks
// such as a modal's onClose) stay here; the host calls them back by id.
(function () {
  'use strict';
  var pending = new Map();
  var callbacks = new Map();
  var seq = 0;

  function strip(value) {
    if (typeof value === 'function') {
      var id = 'cb' + ++seq;
      callbacks.set(id, value);
      return { __bridgeCallback: id };
    }
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = strip(value[k]); });
      return out;
    }
    return value;
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) return;
    var msg = event.data || {};
    if (msg.__forgeBridgeReply) {
      var p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    } else if (msg.__forgeBridgeCallback) {
      var cb = callbacks.get(msg.__forgeBridgeCallback);
      if (cb) cb.apply(null, msg.args || []);
    }
  });

  // view.theme.enable() (@forge/bridge out/view/theme.js) is callBridge('enableTheming'). The host answers with its
  // own theme (the attributes on its <html> and the token themes it loaded); this side, Atlassian's code in the
  // frame, then links the same @atlaskit/tokens CSS (from the resource origin, as Cloud serves it from Forge's
  // CDN: both are allowed by the CSP's style-src) and sets data-theme / data-color-mode on the frame's <html>,
  // so the app's var(--ds-…) values follow the host. The promise settles once the CSS has loaded.
  function applyTheme(theme) {
    if (!theme || !theme.colorMode) return Promise.resolve();
    var ids = theme.themeIds || [];
    var loads = ids.filter(function (id) { return /^[a-z-]+$/.test(id); }).map(function (id) {
      return new Promise(function (resolve) {
        if (document.head.querySelector('link[data-theme="' + id + '"]')) return resolve();
        var link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = '/__site/tokens/' + encodeURIComponent(id) + '.css';
        link.setAttribute('data-theme', id);
        link.onload = link.onerror = function () { resolve(); };
        document.head.appendChild(link);
      });
    });
    return Promise.all(loads).then(function () {
      var root = document.documentElement;
      root.setAttribute('data-theme', String(theme.dataTheme || ''));
      root.setAttribute('data-color-mode', theme.colorMode === 'dark' ? 'dark' : 'light');
    });
  }

  function callHost(type, payload) {
    return new Promise(function (resolve, reject) {
      var id = 'call' + ++seq;
      pending.set(id, { resolve: resolve, reject: reject });
      window.parent.postMessage({ __forgeBridge: true, id: id, type: type, payload: strip(payload) }, '*');
    });
  }

  globalThis.__bridge = {
    callBridge: function (type, payload) {
      if (type === 'enableTheming') return callHost(type, payload).then(applyTheme).then(function () { return undefined; });
      return callHost(type, payload);
    },
  };

  // The host sizes the iframe to its content, as Atlassian products do for Custom UI.
  function reportSize() {
    var h = Math.ceil(document.documentElement.scrollHeight);
    window.parent.postMessage({ __forgeBridgeResize: true, height: h }, '*');
  }
  window.addEventListener('load', function () {
    reportSize();
    new ResizeObserver(reportSize).observe(document.documentElement);
  });
})();
