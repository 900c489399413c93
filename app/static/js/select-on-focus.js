// Selects the whole text of a read-only field (a one-time link) when it gets the focus, so it is
// copied at once; CSP forbids the inline onfocus handler this replaces.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
