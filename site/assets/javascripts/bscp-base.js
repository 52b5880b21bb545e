// Material for MkDocs' inline start-up script (partials/javascripts/base.html), as a file: the
// site's Content-Security-Policy allows scripts from the site itself only, never inline ones.
// It scopes what the theme keeps in the browser's local storage to this site.
(function () {
  "use strict";
  var script = document.currentScript;
  window.__md_scope = new URL(script.getAttribute("data-md-scope") || ".", location);
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    try {
      storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
    } catch (e) {
      // Storage full or switched off: the theme works without it.
    }
  };
})();
