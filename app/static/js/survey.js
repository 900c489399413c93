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
  var editor = document.getElementById("pin-editor");
  var sendButton = document.getElementById("send");
  var csrf = document.getElementById("csrf-token").value;
  var MAX_ATTEMPTS = 5;
  var state = load() || fresh();
  var editing = null;       // {pin, isNew} while the editor is open
  var question = null;      // the map question whose page is shown
  var uploading = false;
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
    closeEditor(false);
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
      if (editing) { focusEditorProblem(S.saveFirst); return; }
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
    if (loc.kind === "described") { return fmt(S.described, { text: loc.description }); }
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
        edit.addEventListener("click", function () { openEditor(pin, false); });
        var remove = document.createElement("button"); remove.type = "button"; remove.textContent = S.remove;
        remove.setAttribute("aria-label", fmt(S.removeN, { n: i + 1 }));
        remove.addEventListener("click", function () { removePin(pin); });
        li.appendChild(edit); li.appendChild(remove);
        ul.appendChild(li);
      });
    });
  }

  function renderOwnMarkers() {
    if (surveyMap && question) { surveyMap.showOwn(pinsOf(question.id), valueLabel, function (pin) { openEditor(pin, false); }); }
  }

  function removePin(pin) {
    state.pins = state.pins.filter(function (p) { return p.id !== pin.id; });
    save(); renderPinLists(); renderOwnMarkers();
    surveyMap.announce(S.removed);
    var heading = pages[state.page].querySelector(".pin-list-title");
    if (heading) { heading.tabIndex = -1; heading.focus(); }
  }

  function setupMap() {
    var map = window[byId("pin-map").dataset.mapName];
    if (!map) { return; }
    if (!surveyMap) {
      surveyMap = new window.SurveyMap(map, area, S, onMapPick);
      if (form.dataset.othersUrl) { window.PlatsdialogPins.showOthersPins(map, form.dataset.othersUrl, S.values); }
    }
    window.setTimeout(function () {
      map.invalidateSize();
      if (!fitted) { map.fitBounds(L.geoJSON(area).getBounds(), { animate: false }); fitted = true; }
      form.dataset.mapReady = "true";
    }, 0);
  }

  function onMapPick(latlng, how) {
    if (!latlng) {
      if (editing) { showError(byId("pe-err-location"), S.outside); }
      return;
    }
    if (!editing) {
      if (pinsOf(question.id).length >= question.max) { surveyMap.announce(fmt(S.tooMany, { max: question.max })); return; }
      openEditor(null, true);
    }
    editing.location = { kind: "map", lat: Math.round(latlng.lat * 1e7) / 1e7, lng: Math.round(latlng.lng * 1e7) / 1e7 };
    checkRadio("pe-kind", "map");
    updateKind();
    surveyMap.setDraft(latlng, editing.value, editing.sentiment);
    byId("pe-map-status").textContent = S.mapChosen;
    showError(byId("pe-err-location"), "");
    surveyMap.announce(how === "drag" ? S.moved : S.placed);
    if (how !== "drag") { byId("pin-editor-title").focus(); }
  }

  function checkRadio(name, value) {
    [].slice.call(editor.querySelectorAll('input[name="' + name + '"]')).forEach(function (i) { i.checked = i.value === value; });
  }
  function radioValue(name) {
    var c = editor.querySelector('input[name="' + name + '"]:checked');
    return c ? c.value : null;
  }
  function updateKind() {
    var kind = radioValue("pe-kind");
    ["map", "named_place", "described"].forEach(function (k) {
      [].slice.call(editor.querySelectorAll(".pe-kind-" + k)).forEach(function (el) { el.hidden = k !== kind; });
    });
  }
  function updatePrompt() {
    var value = radioValue("pe-value");
    byId("pe-prompt").textContent = (value && question.prompts[value]) || "";
  }

  function openEditor(pin, isNew) {
    if (!question) { return; }
    if (editing && !isNew) { closeEditor(false); }
    if (isNew && pinsOf(question.id).length >= question.max) {
      surveyMap.announce(fmt(S.tooMany, { max: question.max })); return;
    }
    var base = pin || { id: null, question: question.id, value: question.values.length === 1 ? question.values[0] : null,
                        sentiment: null, comment: "", category: null, photo: null, photoName: null,
                        location: { kind: null } };
    editing = JSON.parse(JSON.stringify(base));
    editing.isNew = !pin;
    [].slice.call(editor.querySelectorAll('input[name="pe-value"]')).forEach(function (i) {
      i.closest("label").hidden = question.values.indexOf(i.value) < 0;
    });
    [].slice.call(editor.querySelectorAll('input[name="pe-sentiment"]')).forEach(function (i) {
      i.closest("label").hidden = question.sentiments.indexOf(i.value) < 0;
    });
    checkRadio("pe-value", editing.value); checkRadio("pe-sentiment", editing.sentiment);
    checkRadio("pe-kind", editing.location.kind);
    var category = byId("pe-category");
    category.textContent = "";
    byId("pe-category-box").hidden = !question.categories.length;
    [{ id: "", label: S.chooseCategory }].concat(question.categories).forEach(function (c) {
      var o = document.createElement("option"); o.value = c.id; o.textContent = c.label; category.appendChild(o);
    });
    category.value = editing.category || "";
    byId("pe-comment").value = editing.comment;
    byId("pe-comment").maxLength = question.maxLength;
    if (byId("pe-place")) { byId("pe-place").value = editing.location.place ? String(editing.location.place) : ""; }
    byId("pe-description").value = editing.location.description || "";
    byId("pe-photo-box").hidden = !question.photo;
    byId("pe-photo").value = "";
    byId("pe-photo-status").textContent = editing.photoName ? fmt(S.photoAttached, { name: editing.photoName }) : "";
    byId("pe-photo-remove").hidden = !editing.photo;
    byId("pe-map-status").textContent = editing.location.kind === "map" ? S.mapChosen : S.mapNotChosen;
    ["location", "value", "sentiment", "comment", "category", "photo"].forEach(function (f) { showError(byId("pe-err-" + f), ""); });
    updateKind(); updatePrompt();
    editor.hidden = false;
    if (editing.location.kind === "map") {
      surveyMap.setDraft([editing.location.lat, editing.location.lng], editing.value, editing.sentiment);
    } else { surveyMap.clearDraft(); }
    if (!isNew || !editing.isNew) { byId("pin-editor-title").focus(); }
  }

  function closeEditor(focusMap) {
    editing = null;
    editor.hidden = true;
    if (surveyMap) { surveyMap.clearDraft(); }
    if (focusMap && surveyMap) { surveyMap.map.getContainer().focus(); }
  }

  function focusEditorProblem(text) {
    showError(byId("pe-err-comment"), text);
    byId("pin-editor-title").focus();
  }

  editor.addEventListener("change", function (e) {
    if (!editing) { return; }
    if (e.target.name === "pe-kind") {
      updateKind();
      if (e.target.value !== "map") { surveyMap.clearDraft(); }
    }
    if (e.target.name === "pe-value") { updatePrompt(); }
  });

  byId("add-without-map").addEventListener("click", function () {
    openEditor(null, true);
    if (!editing) { return; }
    checkRadio("pe-kind", byId("pe-place") ? "named_place" : "described");
    updateKind();
    byId("pin-editor-title").focus();
  });
  byId("pe-cancel").addEventListener("click", function () { closeEditor(true); });

  byId("pe-save").addEventListener("click", function () {
    if (!editing) { return; }
    var errors = {}, kind = radioValue("pe-kind");
    var location = { kind: kind };
    if (kind === "map") {
      if (editing.location.kind !== "map") { errors.location = S.mapNotChosen; }
      else { location.lat = editing.location.lat; location.lng = editing.location.lng; }
    } else if (kind === "named_place") {
      var select = byId("pe-place");
      if (!select.value) { errors.location = S.choosePlace; }
      else { location.place = parseInt(select.value, 10); location.placeName = select.options[select.selectedIndex].text; }
    } else if (kind === "described") {
      location.description = byId("pe-description").value.trim();
      if (!location.description) { errors.location = S.describePlace; }
    } else { errors.location = S.chooseWhere; }
    var value = radioValue("pe-value"), sentiment = radioValue("pe-sentiment");
    var comment = byId("pe-comment").value.trim(), category = byId("pe-category").value || null;
    if (question.values.indexOf(value) < 0) { errors.value = S.chooseValue; }
    if (question.sentiments.indexOf(sentiment) < 0) { errors.sentiment = S.chooseSentiment; }
    if (!comment) { errors.comment = S.writeComment; }
    else if (comment.length > question.maxLength) { errors.comment = fmt(S.commentTooLong, { max: question.maxLength }); }
    if (question.categoryRequired && !category) { errors.category = S.chooseCategory; }
    if (uploading) { errors.photo = S.uploading; }
    ["location", "value", "sentiment", "comment", "category", "photo"].forEach(function (f) { showError(byId("pe-err-" + f), errors[f]); });
    var fields = Object.keys(errors);
    if (fields.length) {
      var firstError = byId("pe-err-" + fields[0]);
      var target = firstError.closest("fieldset") ? firstError.closest("fieldset").querySelector("input:not([hidden])") : null;
      (target || byId(fields[0] === "comment" ? "pe-comment" : "pin-editor-title")).focus();
      return;
    }
    var pin = { id: editing.id, question: question.id, value: value, sentiment: sentiment, comment: comment,
                category: category, photo: editing.photo, photoName: editing.photoName, location: location };
    if (editing.isNew) {
      state.seq += 1; pin.id = state.seq; state.pins.push(pin);
    } else {
      state.pins = state.pins.map(function (p) { return p.id === pin.id ? pin : p; });
    }
    save();
    closeEditor(false);
    renderPinLists(); renderOwnMarkers();
    surveyMap.announce(S.saved);
    byId("pin-item-" + pin.id).focus();
  });

  byId("pe-photo").addEventListener("change", function (e) {
    var file = e.target.files[0];
    if (!file || !editing) { return; }
    var okType = /^image\/(jpeg|png|heic|heif)$/.test(file.type) || /\.(heic|heif)$/i.test(file.name);
    if (!okType) { showError(byId("pe-err-photo"), S.photoType); e.target.value = ""; return; }
    if (file.size > 10 * 1024 * 1024) { showError(byId("pe-err-photo"), S.photoSize); e.target.value = ""; return; }
    var data = new FormData();
    data.append("photo", file);
    uploading = true;
    showError(byId("pe-err-photo"), "");
    byId("pe-photo-status").textContent = S.uploading;
    fetch(form.dataset.photoUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrf } })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        uploading = false;
        if (!editing) { return; }
        if (result.ok) {
          editing.photo = result.token; editing.photoName = file.name;
          byId("pe-photo-status").textContent = fmt(S.photoAttached, { name: file.name });
          byId("pe-photo-remove").hidden = false;
        } else {
          byId("pe-photo-status").textContent = "";
          showError(byId("pe-err-photo"), result.error);
        }
      })
      .catch(function () {
        uploading = false;
        byId("pe-photo-status").textContent = "";
        showError(byId("pe-err-photo"), S.photoFailed);
      });
  });
  byId("pe-photo-remove").addEventListener("click", function () {
    if (!editing) { return; }
    editing.photo = null; editing.photoName = null;
    byId("pe-photo-status").textContent = S.photoRemoved;
    byId("pe-photo-remove").hidden = true;
    byId("pe-photo").focus();
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
})();
