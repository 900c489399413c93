// The survey editor without page reloads. The page works without this script: every button
// posts the form and the server answers with the whole page. Here the same posts go in the
// background: buttons that add, remove or move replace the form's body and put the focus where
// the server says; typing refreshes the preview and the problems next to the fields.
(function () {
  "use strict";
  var form = document.getElementById("survey-editor");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var url = form.getAttribute("action");  // not form.action: the buttons are named "action"
  var pending = null;
  var sequence = 0;

  function post(action) {
    var data = new FormData(form);
    data.set("action", action);
    var mine = ++sequence;
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok && response.status !== 422) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (mine !== sequence) { return null; }  // a later request already answered
        return new DOMParser().parseFromString(html, "text/html");
      });
  }

  function replace(id, doc) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) { old.replaceWith(fresh); }
    return fresh;
  }

  function refreshProblems(doc) {
    // The summary (an alert) is left alone while typing, so it is not read out at every pause.
    document.querySelectorAll("[data-errors-for]").forEach(function (slot) {
      var fresh = doc.getElementById(slot.id);
      if (!fresh) { return; }
      slot.innerHTML = fresh.innerHTML;
      slot.hidden = fresh.hidden;
      var field = document.getElementById("f-" + slot.dataset.errorsFor);
      if (field && field.matches("input, select, textarea")) {
        if (fresh.hidden) { field.removeAttribute("aria-invalid"); } else { field.setAttribute("aria-invalid", "true"); }
      }
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=action]");
    if (!button || button.value === "save") { return; }  // saving is a normal post and redirect
    event.preventDefault();
    post(button.value).then(function (doc) {
      if (!doc) { return; }
      replace("editor-body", doc);
      replace("editor-preview-box", doc);
      replace("editor-summary", doc);
      var target = doc.getElementById("survey-editor").dataset.focus;
      var element = target && document.getElementById(target);
      if (!element && button.value === "preview") { element = document.getElementById("editor-summary"); }
      if (element) { element.focus(); }
    }).catch(function () { form.requestSubmit ? form.requestSubmit(button) : form.submit(); });
  });

  function scheduleRefresh() {
    clearTimeout(pending);
    pending = setTimeout(function () {
      post("refresh").then(function (doc) {
        if (!doc) { return; }
        replace("editor-preview-box", doc);
        refreshProblems(doc);
      }).catch(function () { /* the buttons still work; nothing is lost */ });
    }, 600);
  }
  form.addEventListener("input", scheduleRefresh);
  form.addEventListener("change", scheduleRefresh);
  // The language of the preview sits outside the form (form="survey-editor") and is replaced.
  document.addEventListener("change", function (event) {
    if (event.target.id === "preview-lang") { scheduleRefresh(); }
  });
})();
