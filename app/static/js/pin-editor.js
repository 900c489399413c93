// The questionnaire's comment editor: where (map, named place, a route through named places,
// words), value, kind, text, photo.
// Made by survey.js with the parts it shares (state, the current map question, the map).
(function () {
  "use strict";

  window.PlatsdialogEditor = function (ctx) {
    var S = ctx.S, form = ctx.form, byId = ctx.byId, fmt = ctx.fmt, showError = ctx.showError;
    var save = ctx.save, pinsOf = ctx.pinsOf, csrf = ctx.csrf;
    var editor = byId("pin-editor");
    var editing = null;       // the pin being edited (a copy) while the editor is open
    var uploading = false;
    var state, question, surveyMap;
    function sync() { state = ctx.state(); question = ctx.question(); surveyMap = ctx.map(); }
    function renderPinLists() { ctx.renderPinLists(); }
    function renderOwnMarkers() { ctx.renderOwnMarkers(); }

    function drawn() { return question && question.shape && question.shape !== "point"; }
    function colourOf(value) { return (S.colours || {})[value] || S.colours[question.values[0]]; }

    // A route or area: the first tap (or Enter) opens the editor and starts the drawing there;
    // further Enters add vertices at the cross (taps go to Geoman itself).
    function onDrawPick(latlng, how) {
      var shapes = surveyMap.shapes;
      if (!editing) {
        if (pinsOf(question.id).length >= question.max) { surveyMap.announce(fmt(S.tooMany, { max: question.max })); return; }
        openEditor(null, true);
        if (!editing) { return; }
      }
      if (shapes.hasShape()) { surveyMap.announce(S.drawAgain); return; }
      checkRadio("pe-kind", "map");
      updateKind();
      if (!shapes.drawing()) { shapes.start(question.shape, colourOf(radioValue("pe-value") || editing.value), latlng); }
      else { shapes.add(latlng); }
      showDrawTools();
      if (how === "pointer") { surveyMap.keepInSight(latlng); }
    }

    function showDrawTools() {
      var shapes = surveyMap && surveyMap.shapes, tools = byId("draw-tools");
      if (!tools) { return; }
      var on = !!(drawn() && shapes);
      tools.hidden = !on;
      if (!on) { return; }
      byId("draw-help").textContent = question.shape === "line" ? S.drawHelpLine : S.drawHelpArea;
      byId("draw-finish").hidden = !shapes.drawing();
      byId("draw-undo").hidden = !(shapes.drawing() || shapes.hasShape());
      byId("draw-delete").hidden = !(shapes.drawing() || shapes.hasShape());
    }

    function onShape(geometry, size) {
      sync();
      if (!editing) { return; }
      editing.location = geometry ? { kind: "map", geometry: geometry, size: size } : { kind: null };
      byId("pe-map-status").textContent = geometry ? fmt(question.shape === "line" ? S.drawnLine : S.drawnArea,
                                                         { length: size, area: size }) : S.drawNotYet;
      if (geometry) { showError(byId("pe-err-location"), ""); }
      showDrawTools();
      keepDraft();
    }

    function onMapPick(latlng, how) {
      sync();
      if (latlng && drawn() && surveyMap.shapes) { onDrawPick(latlng, how); return; }
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
      if (how === "keyboard") { byId("pin-editor-title").focus(); }
      if (how === "pointer") {  // a tap: the editor opens below, the new marker stays in sight
        byId("pin-editor-title").focus({ preventScroll: true });
        surveyMap.keepInSight(latlng);
      }
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
      ["map", "named_place", "places", "described"].forEach(function (k) {
        [].slice.call(editor.querySelectorAll(".pe-kind-" + k)).forEach(function (el) { el.hidden = k !== kind; });
      });
    }
    // A route through named places: the chosen stops in order (empty ones skipped), with their names.
    function routeStops() {
      return [].slice.call(editor.querySelectorAll(".pe-route-stop")).filter(function (s) { return s.value; })
        .map(function (s) { return { id: parseInt(s.value, 10), name: s.options[s.selectedIndex].text }; });
    }
    function updatePrompt() {
      var value = radioValue("pe-value");
      byId("pe-prompt").textContent = (value && question.prompts[value]) || "";
    }

    function openEditor(pin, isNew) {
      sync();
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
      byId("pe-kind-map-label").textContent = !drawn() ? S.kindMapPoint
        : question.shape === "line" ? S.kindMapLine : S.kindMapArea;
      [].slice.call(editor.querySelectorAll('input[name="pe-kind"][value="named_place"]')).forEach(function (i) {
        i.closest("label").hidden = drawn();
      });
      [].slice.call(editor.querySelectorAll('input[name="pe-kind"][value="places"]')).forEach(function (i) {
        i.closest("label").hidden = question.shape !== "line";  // a route can go through named places
      });
      var stops = editing.location.kind === "places" ? editing.location.places || [] : [];
      [].slice.call(editor.querySelectorAll(".pe-route-stop")).forEach(function (s, n) {
        s.value = stops[n] ? String(stops[n]) : "";
      });
      if (drawn() && editing.location.kind === "map") {
        byId("pe-map-status").textContent = editing.location.geometry
          ? fmt(question.shape === "line" ? S.drawnLine : S.drawnArea,
                { length: editing.location.size, area: editing.location.size }) : S.drawNotYet;
      } else if (drawn()) { byId("pe-map-status").textContent = S.drawNotYet; }
      ["location", "value", "sentiment", "comment", "category", "photo"].forEach(function (f) { showError(byId("pe-err-" + f), ""); });
      updateKind(); updatePrompt();
      editor.hidden = false;
      if (drawn() && surveyMap.shapes) {
        surveyMap.shapes.clear();
        if (editing.location.kind === "map" && editing.location.geometry) {
          surveyMap.shapes.show(question.shape, colourOf(editing.value), editing.location.geometry);
        }
        showDrawTools();
      } else if (editing.location.kind === "map") {
        surveyMap.setDraft([editing.location.lat, editing.location.lng], editing.value, editing.sentiment);
      } else { surveyMap.clearDraft(); }
      if (!isNew || !editing.isNew) { byId("pin-editor-title").focus(); }
      keepDraft();
    }

    // What is typed into the open editor is kept on the device too, so a reload loses nothing.
    function keepDraft() {
      if (!editing) { return; }
      var draft = JSON.parse(JSON.stringify(editing));
      draft.value = radioValue("pe-value") || draft.value;
      draft.sentiment = radioValue("pe-sentiment");
      draft.comment = byId("pe-comment").value;
      draft.category = byId("pe-category").value || null;
      var kind = radioValue("pe-kind");
      if (kind === "named_place" && byId("pe-place")) {
        draft.location = { kind: kind, place: parseInt(byId("pe-place").value, 10) || null };
      } else if (kind === "places") {
        draft.location = { kind: kind, places: routeStops().map(function (s) { return s.id; }) };
      } else if (kind === "described") {
        draft.location = { kind: kind, description: byId("pe-description").value };
      } else if (kind !== "map") { draft.location = { kind: null }; }
      state.draft = draft;
      save();
    }

    function restoreDraft() {
      sync();
      var draft = state.draft;
      if (!draft || !question || draft.question !== question.id) { return; }
      openEditor(draft, draft.isNew);
      editing.isNew = draft.isNew;
      keepDraft();
    }

    function closeEditor(focusMap) {
      sync();
      if (editing) { delete state.draft; save(); }
      editing = null;
      editor.hidden = true;
      if (surveyMap) { surveyMap.clearDraft(); }
      if (surveyMap && surveyMap.shapes) { surveyMap.shapes.clear(); }
      showDrawTools();
      if (focusMap && surveyMap) { surveyMap.map.getContainer().focus(); }
    }

    function focusEditorProblem(text) {
      showError(byId("pe-err-comment"), text);
      byId("pin-editor-title").focus();
    }

    editor.addEventListener("input", function () { sync(); keepDraft(); });
    editor.addEventListener("change", function (e) {
      sync();
      if (!editing) { return; }
      keepDraft();
      if (e.target.name === "pe-kind") {
        updateKind();
        if (e.target.value !== "map") {
          surveyMap.clearDraft();
          if (surveyMap.shapes && drawn()) { surveyMap.shapes.clear(); editing.location = { kind: e.target.value }; showDrawTools(); }
        }
      }
      if (e.target.name === "pe-value") { updatePrompt(); }
    });

    byId("add-without-map").addEventListener("click", function () {
      sync();
      openEditor(null, true);
      if (!editing) { return; }
      var list = byId("pe-place") ? (!drawn() ? "named_place" : question.shape === "line" ? "places" : null) : null;
      checkRadio("pe-kind", list || "described");
      updateKind();
      byId("pin-editor-title").focus();
    });
    byId("pe-cancel").addEventListener("click", function () { closeEditor(true); });

    function shapes() { sync(); return surveyMap && surveyMap.shapes; }
    byId("draw-undo").addEventListener("click", function () { if (shapes()) { surveyMap.shapes.undo(); showDrawTools(); } });
    byId("draw-delete").addEventListener("click", function () {
      if (!shapes()) { return; }
      surveyMap.shapes.remove();
      showDrawTools();
      surveyMap.map.getContainer().focus();
    });
    byId("draw-finish").addEventListener("click", function () {
      if (!shapes() || !surveyMap.shapes.finish()) { return; }
      showDrawTools();
      byId("pin-editor-title").focus({ preventScroll: true });
    });

    // The map tells the editor about drawings and Backspace; set up once the map exists.
    function attach(map) {
      map.onShape = onShape;
      map.onUndo = function () { if (map.shapes) { map.shapes.undo(); showDrawTools(); } };
    }

    byId("pe-save").addEventListener("click", function () {
      sync();
      if (!editing) { return; }
      var errors = {}, kind = radioValue("pe-kind");
      var location = { kind: kind };
      if (kind === "map" && drawn() && surveyMap.shapes) {
        if (surveyMap.shapes.drawing()) { surveyMap.shapes.finish(); }
        if (!(editing.location.kind === "map" && editing.location.geometry)) { errors.location = S.drawFirst; }
        else { location.geometry = editing.location.geometry; location.size = editing.location.size; }
      } else if (kind === "map") {
        if (editing.location.kind !== "map") { errors.location = S.mapNotChosen; }
        else { location.lat = editing.location.lat; location.lng = editing.location.lng; }
      } else if (kind === "named_place") {
        var select = byId("pe-place");
        if (!select.value) { errors.location = S.choosePlace; }
        else { location.place = parseInt(select.value, 10); location.placeName = select.options[select.selectedIndex].text; }
      } else if (kind === "places") {
        var stops = routeStops();
        if (stops.length < 2) { errors.location = S.chooseRoute; }
        location.places = stops.map(function (s) { return s.id; });
        location.placeNames = stops.map(function (s) { return s.name; });
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
                  category: category, photo: editing.photo, photoName: editing.photoName, location: location,
                  thumbnail: editing.thumbnail || null };
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
      sync();
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
            thumbnail(file, function (url) { if (editing) { editing.thumbnail = url; keepDraft(); } });
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
      sync();
      if (!editing) { return; }
      editing.photo = null; editing.photoName = null; editing.thumbnail = null;
      byId("pe-photo-status").textContent = S.photoRemoved;
      byId("pe-photo-remove").hidden = true;
      byId("pe-photo").focus();
    });

    // A small picture of the photo for the review step, made and kept on the device only.
    function thumbnail(file, done) {
      if (!window.createImageBitmap) { done(null); return; }
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 160 / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        done(canvas.toDataURL("image/jpeg", 0.7));
      }).catch(function () { done(null); });  // e.g. HEIC, which the browser cannot draw
    }

    return {
      restoreDraft: restoreDraft, pick: onMapPick, attach: attach,
      setShapeMode: function () { sync(); if (surveyMap) { surveyMap.shapeMode = !!drawn(); } showDrawTools(); }, open: openEditor, close: closeEditor, problem: focusEditorProblem,
      isOpen: function () { return editing !== null; }
    };
  };
})();
