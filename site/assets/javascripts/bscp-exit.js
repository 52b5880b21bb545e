// The quick exit. "Leave this site" (a plain link, which works without this script) and Escape
// pressed twice within a second both replace this page with the neutral site the link points at,
// so that the Back button does not return to the page being read. The address is the link's own
// (set in content/partnership.yaml), never written here.
(function () {
  "use strict";
  var lastEscape = 0;

  function exitLink() {
    return document.querySelector("a[data-bscp-exit]");
  }

  function leave(link) {
    window.location.replace(link.href);
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-bscp-exit]") : null;
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      leave(link);
    }
  });

  document.addEventListener(
    "keydown",
    function (event) {
      if (event.key !== "Escape" && event.key !== "Esc") {
        return;
      }
      var now = Date.now();
      var link = exitLink();
      if (link && now - lastEscape < 1000) {
        leave(link);
      }
      lastEscape = now;
    },
    true
  );
})();
