// The questionnaire as a progressive app over the server-rendered pages. The unsent response is
// kept in localStorage; it is sent whole, as JSON, with one idempotency key, and retried.
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form) { return; }
  var S = JSON.parse(document.getElementById("survey-strings").textContent);
  var area = JSON.parse(document.getElementById("area-geojson").textContent);
  var pages = [].slice.call(form.querySelectorAll(".survey-page"));
  var reviewIndex = pages.length - 1;
  var mapTool = document.getElementById("map-tool");
  var sendButton = document.getElementById("send");
  var csrf = document.getElementById("csrf-token").value;
  var MAX_ATTEMPTS = 5;
  var state = load() || fresh();
  var question = null;      // the map question whose page is shown
  var surveyMap = null;
  var fitted = false;

  function fmt(text, params) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return params[k] !== undefined ? params[k] : ""; });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function fresh() { return { key: newKey(), page: 0, answers: {}, pins: [], seq: 0 }; }
  function load() {
    try { return JSON.parse(window.localStorage.getItem(form.dataset.storageKey)); } catch (e) { return null; }
  }
  function save() {
    try { window.localStorage.setItem(form.dataset.storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function forget() {
    try { window.localStorage.removeItem(form.dataset.storageKey); } catch (e) { /* private mode */ }
  }
  function byId(id) { return document.getElementById(id); }
  function showError(el, text) { el.textContent = text || ""; el.hidden = !text; }

  // ---- answers --------------------------------------------------------------------------
  function questionEls() { return [].slice.call(form.querySelectorAll(".question")); }
  function inputs(el, id) { return [].slice.call(el.querySelectorAll('input[name="' + id + '"]')); }
  function otherText(el, id) { var o = el.querySelector('input[name="' + id + '__other"]'); return o ? o.value : ""; }

  function readAnswer(el) {
    var id = el.dataset.question, type = el.dataset.type, field;
    var checked = inputs(el, id).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    if (type === "single_choice") {
      if (!checked.length) { return undefined; }
      return checked[0] === "other" ? { selected: "other", other: otherText(el, id) } : checked[0];
    }
    if (type === "multi_choice") {
      if (!checked.length) { return undefined; }
      return checked.indexOf("other") >= 0 ? { selected: checked, other: otherText(el, id) } : checked;
    }
    if (type === "likert") { return checked.length ? parseInt(checked[0], 10) : undefined; }
    if (type === "consent") { return checked.length ? true : undefined; }
    if (type === "text" || type === "number") {
      field = el.querySelector('[name="' + id + '"]');
      return field.value.trim() ? field.value : undefined;
    }
    if (type === "ranking") {
      if (!el.dataset.touched) { return undefined; }
      return [].slice.call(el.querySelectorAll("li[data-option]")).map(function (li) { return li.dataset.option; });
    }
    return undefined;
  }

  function restoreAnswer(el, value) {
    var id = el.dataset.question, type = el.dataset.type;
    if (value === undefined) { return; }
    if (type === "single_choice" || type === "multi_choice" || type === "likert" || type === "consent") {
      var selected = value && typeof value === "object" && !Array.isArray(value) ? value.selected : value;
      var list = Array.isArray(selected) ? selected.map(String) : [String(selected)];
      inputs(el, id).forEach(function (i) { i.checked = type === "consent" ? !!value : list.indexOf(i.value) >= 0; });
      if (value && value.other !== undefined) { el.querySelector('input[name="' + id + '__other"]').value = value.other; }
    } else if (type === "text" || type === "number") {
      el.querySelector('[name="' + id + '"]').value = value;
    } else if (type === "ranking" && Array.isArray(value)) {
      var ol = el.querySelector("ol");
      value.forEach(function (option) {
        var li = ol.querySelector('li[data-option="' + option + '"]');
        if (li) { ol.appendChild(li); }
      });
      el.dataset.touched = "true";
    }
  }

  function chosen(answer) {
    if (answer && typeof answer === "object" && !Array.isArray(answer)) { answer = answer.selected; }
    if (typeof answer === "string") { return [answer]; }
    return Array.isArray(answer) ? answer : [];
  }

  // Show a question only when the earlier choice it depends on was made (and is itself shown).
  function applyShowIf() {
    var shown = {};
    questionEls().forEach(function (el) {
      var cond = el.dataset.showIf ? JSON.parse(el.dataset.showIf) : null;
      var visible = !cond || (shown[cond.question] && chosen(state.answers[cond.question]).some(function (c) {
        return cond.in.indexOf(c) >= 0;
      }));
      el.hidden = !visible;
      if (visible) { shown[el.dataset.question] = true; }
    });
    return shown;
  }

  function collect() {
    state.answers = {};
    questionEls().forEach(function (el) {
      var value = readAnswer(el);
      if (value !== undefined) { state.answers[el.dataset.question] = value; }
    });
    var shown = applyShowIf();
    Object.keys(state.answers).forEach(function (id) { if (!shown[id]) { delete state.answers[id]; } });
    save();
    return shown;
  }

  // ---- pages ----------------------------------------------------------------------------
  function mapQuestionOf(page) {
    var el = [].slice.call(page.querySelectorAll('.question[data-type="map_pin"]')).filter(function (q) { return !q.hidden; })[0];
    return el ? JSON.parse(el.querySelector(".map-question-data").textContent) : null;
  }

  function showPage(index, focusHeading) {
    pinEditor.close(false);
    pages.forEach(function (p, i) { p.hidden = i !== index; });
    state.page = index;
    save();
    byId("progress-bar").value = index + 1;
    byId("progress-text").textContent = fmt(S.step, { n: index + 1, total: pages.length });
    question = mapQuestionOf(pages[index]);
    if (question) {
      pages[index].querySelector('.map-slot[data-question="' + question.id + '"]').appendChild(mapTool);
      mapTool.hidden = false;
      setupMap();
      renderOwnMarkers();
    } else {
      mapTool.hidden = true;
    }
    if (index === reviewIndex && window.PlatsdialogReview) { window.PlatsdialogReview.build(); }
    if (focusHeading !== false) {
      var heading = pages[index].querySelector("h2");
      heading.focus();
      window.scrollTo(0, 0);
    }
  }

  function pageProblems(page) {
    var problems = [];
    var shown = collect();
    [].slice.call(page.querySelectorAll(".question")).forEach(function (el) {
      var id = el.dataset.question, err = byId("err-" + id);
      var text = "";
      if (shown[id] && el.dataset.type === "map_pin") {
        var cfg = JSON.parse(el.querySelector(".map-question-data").textContent);
        var n = pinsOf(id).length;
        if (n < cfg.min) { text = fmt(S.tooFew, { min: cfg.min }); }
      } else if (shown[id] && el.dataset.required && state.answers[id] === undefined) {
        text = el.dataset.type === "consent" ? S.consentRequired : S.required;
      }
      showError(err, text);
      if (text) { problems.push(el); }
    });
    return problems;
  }

  form.addEventListener("click", function (e) {
    var target = e.target.closest("button");
    if (!target) { return; }
    var page = target.closest(".survey-page");
    var index = pages.indexOf(page);
    if (target.classList.contains("next")) {
      if (pinEditor.isOpen()) { pinEditor.problem(S.saveFirst); return; }
      var problems = pageProblems(page);
      if (problems.length) {
        var first = problems[0].querySelector("input, textarea, button, h3") || problems[0];
        first.focus();
        return;
      }
      showPage(index + 1);
    } else if (target.classList.contains("back")) {
      showPage(index - 1);
    } else if (target.classList.contains("rank-up") || target.classList.contains("rank-down")) {
      var li = target.closest("li"), ol = li.parentNode;
      var up = target.classList.contains("rank-up");
      if (up && li.previousElementSibling) { ol.insertBefore(li, li.previousElementSibling); }
      if (!up && li.nextElementSibling) { ol.insertBefore(li.nextElementSibling, li); }
      target.closest(".question").dataset.touched = "true";
      target.focus();
      collect();
    } else if (target.classList.contains("change-answer")) {
      showPage(parseInt(target.dataset.page, 10));
      var q = byId("q-" + target.dataset.question);
      if (q) { (q.querySelector("input, textarea, h3, button") || q).focus(); }
    }
  });
  form.addEventListener("input", function () { collect(); });
  form.addEventListener("change", function () { collect(); });

  // ---- pins -----------------------------------------------------------------------------
  function pinsOf(questionId) { return state.pins.filter(function (p) { return p.question === questionId; }); }
  function valueLabel(pin) { return S.values[pin.value] + " – " + S.sentiments[pin.sentiment]; }
  function placeLabel(pin) {
    var loc = pin.location;
    if (loc.kind === "named_place") { return fmt(S.atPlace, { name: loc.placeName || "" }); }
    if (loc.kind === "places") { return fmt(S.routeThrough, { names: (loc.placeNames || []).join(" – ") }); }
    if (loc.kind === "described") { return fmt(S.described, { text: loc.description }); }
    if (loc.geometry) { return fmt(loc.geometry.type === "LineString" ? S.drawnLine : S.drawnArea, { length: loc.size, area: loc.size }); }
    return S.onMap;
  }

  function renderPinLists() {
    [].slice.call(form.querySelectorAll(".pin-list")).forEach(function (ul) {
      var pins = pinsOf(ul.dataset.question);
      ul.textContent = "";
      if (!pins.length) {
        var empty = document.createElement("li");
        empty.className = "empty"; empty.textContent = S.noPins; ul.appendChild(empty);
      }
      pins.forEach(function (pin, i) {
        var li = document.createElement("li");
        li.className = "own-pin pin-" + pin.value;
        li.id = "pin-item-" + pin.id; li.tabIndex = -1;
        var head = document.createElement("strong"); head.textContent = (i + 1) + ". " + valueLabel(pin);
        var where = document.createElement("span"); where.className = "pin-place"; where.textContent = " (" + placeLabel(pin) + ")";
        var text = document.createElement("p"); text.className = "pin-text"; text.textContent = pin.comment;
        li.appendChild(head); li.appendChild(where); li.appendChild(text);
        if (pin.photoName) {
          var photo = document.createElement("p"); photo.textContent = fmt(S.photoAttached, { name: pin.photoName }); li.appendChild(photo);
        }
        var edit = document.createElement("button"); edit.type = "button"; edit.textContent = S.edit;
        edit.setAttribute("aria-label", fmt(S.editN, { n: i + 1 }));
        edit.addEventListener("click", function () { pinEditor.open(pin, false); });
        var remove = document.createElement("button"); remove.type = "button"; remove.textContent = S.remove;
        remove.setAttribute("aria-label", fmt(S.removeN, { n: i + 1 }));
        remove.addEventListener("click", function () { removePin(pin); });
        li.appendChild(edit); li.appendChild(remove);
        ul.appendChild(li);
      });
    });
  }

  function renderOwnMarkers() {
    if (surveyMap && question) { surveyMap.showOwn(pinsOf(question.id), valueLabel, function (pin) { pinEditor.open(pin, false); }); }
  }

  function removePin(pin) {
    state.pins = state.pins.filter(function (p) { return p.id !== pin.id; });
    save(); renderPinLists(); renderOwnMarkers();
    surveyMap.announce(S.removed);
    var heading = pages[state.page].querySelector(".pin-list-title");
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }

  // Others' comments: off until asked for, then only the current question's values, and passive
  // (no popups, no tab stops, a tap goes through to place a marker).
  var others = null, othersFor = null;
  function showOthers() {
    var box = byId("show-others"), map = surveyMap && surveyMap.map;
    var wanted = box && box.checked && question ? question.values.join() : null;
    if (!map || wanted === othersFor) { return; }
    if (others) { map.removeLayer(others); others = null; }
    othersFor = wanted;
    if (wanted) {
      others = window.PlatsdialogPins.showOthersPins(map, form.dataset.othersUrl, S,
        { values: question.values, passive: true });
    }
  }
  if (byId("show-others")) { byId("show-others").addEventListener("change", showOthers); }

  function setupMap() {
    var map = window[byId("pin-map").dataset.mapName];
    if (!map) { return; }
    if (!surveyMap) { surveyMap = new window.SurveyMap(map, area, S, pinEditor.pick); pinEditor.attach(surveyMap); }
    pinEditor.setShapeMode();
    showOthers();
    window.setTimeout(function () {
      map.invalidateSize();
      if (!fitted) { map.fitBounds(L.geoJSON(area).getBounds(), { animate: false }); fitted = true; }
      form.dataset.mapReady = "true";
    }, 0);
  }

  var pinEditor = window.PlatsdialogEditor({
    S: S, form: form, byId: byId, fmt: fmt, showError: showError, save: save, pinsOf: pinsOf, csrf: csrf,
    state: function () { return state; }, question: function () { return question; },
    map: function () { return surveyMap; }, renderPinLists: renderPinLists, renderOwnMarkers: renderOwnMarkers
  });

  window.PlatsdialogSurvey = { state: function () { return state; } };
  window.PlatsdialogSurveyParts = {
    form: form, S: S, pages: pages, byId: byId, fmt: fmt, collect: collect, showPage: showPage,
    pinsOf: pinsOf, valueLabel: valueLabel, placeLabel: placeLabel, save: save, forget: forget,
    getState: function () { return state; }, csrf: csrf, sendButton: sendButton, maxAttempts: MAX_ATTEMPTS,
    showError: showError
  };

  // ---- start ----------------------------------------------------------------------------
  questionEls().forEach(function (el) { restoreAnswer(el, state.answers[el.dataset.question]); });
  collect();
  renderPinLists();
  showPage(Math.min(state.page || 0, reviewIndex), false);
  pinEditor.restoreDraft();
})();
