// Moves the focus to a form's messages (or a preview's summary) when the page opens, so a
// keyboard or screen-reader user hears at once what went wrong or what to check.
(function () {
  "use strict";
  var target = document.querySelector("[data-focus-on-load]");
  if (target) { target.focus(); }
})();
