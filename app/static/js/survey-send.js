// The questionnaire's review step and sending: the whole response at once, retried with backoff
// after a network error under the same idempotency key, so it is stored exactly once.
(function () {
  "use strict";
  var P = function () { return window.PlatsdialogSurveyParts; };
  var sentPins = [];  // the pins of the last payload, in its order (server errors refer to them)

  function questionText(el) {
    var label = el.querySelector("legend, .question-text, .consent span, .info");
    if (!label) { return el.dataset.question; }
    var copy = label.cloneNode(true);
    [].slice.call(copy.querySelectorAll(".required, .optional")).forEach(function (s) { s.remove(); });
    return copy.textContent.trim();
  }

  function answerText(el, value) {
    var p = P(), id = el.dataset.question, type = el.dataset.type;
    function labelOf(option) {
      var input = el.querySelector('input[name="' + id + '"][value="' + option + '"]');
      return input ? input.closest("label").textContent.trim() : option;
    }
    if (value === undefined) { return p.S.notAnswered; }
    if (type === "consent") { return p.S.yes; }
    if (type === "ranking") {
      return value.map(function (o, i) {
        return (i + 1) + ". " + el.querySelector('li[data-option="' + o + '"] .rank-label').textContent;
      }).join(", ");
    }
    if (type === "likert") {
      var scale = el.querySelector(".likert");
      return p.fmt(p.S.likertOf, { n: value, low: scale.dataset.low, high: scale.dataset.high });
    }
    if (type === "single_choice" || type === "multi_choice") {
      var selected = value && typeof value === "object" && !Array.isArray(value) ? value.selected : value;
      var list = Array.isArray(selected) ? selected : [selected];
      var text = list.map(function (o) { return labelOf(String(o)); }).join(", ");
      return value.other ? text + ": " + value.other : text;
    }
    return String(value);
  }

  function build() {
    var p = P(), state = p.getState(), review = p.byId("review");
    var shown = p.collect();
    review.textContent = "";
    p.pages.slice(0, -1).forEach(function (page, index) {
      var items = [].slice.call(page.querySelectorAll(".question")).filter(function (el) {
        return shown[el.dataset.question] && el.dataset.type !== "info";
      });
      if (!items.length) { return; }
      var h = document.createElement("h3"); h.textContent = page.querySelector("h2").textContent; review.appendChild(h);
      var dl = document.createElement("dl"); dl.className = "review-list";
      items.forEach(function (el) {
        var id = el.dataset.question;
        var dt = document.createElement("dt"); dt.textContent = questionText(el);
        var dd = document.createElement("dd");
        if (el.dataset.type === "map_pin") {
          var pins = p.pinsOf(id);
          if (!pins.length) { dd.textContent = p.S.noPins; }
          var ul = document.createElement("ul");
          pins.forEach(function (pin) {
            var li = document.createElement("li");
            li.textContent = p.valueLabel(pin) + " (" + p.placeLabel(pin) + "): " + pin.comment;
            if (pin.thumbnail) {
              var img = document.createElement("img");
              img.src = pin.thumbnail; img.className = "review-photo";
              img.alt = p.fmt(p.S.photoOf, { name: pin.photoName || "" });
              li.appendChild(img);
            }
            ul.appendChild(li);
          });
          if (pins.length) { dd.appendChild(ul); }
        } else {
          dd.textContent = answerText(el, state.answers[id]);
        }
        var change = document.createElement("button");
        change.type = "button"; change.className = "change-answer link-button";
        change.dataset.page = index; change.dataset.question = id;
        change.textContent = p.S.change;
        change.setAttribute("aria-label", p.S.change + ": " + questionText(el));
        dd.appendChild(document.createTextNode(" ")); dd.appendChild(change);
        dl.appendChild(dt); dl.appendChild(dd);
      });
      review.appendChild(dl);
    });
  }

  function status(text) { P().byId("send-status").textContent = text; }

  function showErrors(errors) {
    var p = P(), box = p.byId("review-errors");
    box.textContent = "";
    var intro = document.createElement("p"); intro.textContent = p.S.errorsIntro; box.appendChild(intro);
    var ul = document.createElement("ul");
    function item(text, pageIndex, questionId) {
      var li = document.createElement("li");
      if (pageIndex >= 0) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "change-answer link-button";
        b.dataset.page = pageIndex; b.dataset.question = questionId; b.textContent = text;
        li.appendChild(b);
      } else { li.textContent = text; }
      ul.appendChild(li);
    }
    function pageOf(questionId) {
      var el = p.byId("q-" + questionId);
      return el ? p.pages.indexOf(el.closest(".survey-page")) : -1;
    }
    if (errors.form) { item(errors.form, -1); }
    Object.keys(errors.answers || {}).forEach(function (id) {
      var el = p.byId("q-" + id);
      var text = (el ? questionText(el) + ": " : "") + errors.answers[id];
      p.showError(p.byId("err-" + id) || document.createElement("p"), errors.answers[id]);
      item(text, pageOf(id), id);
    });
    Object.keys(errors.pins || {}).forEach(function (index) {
      var pin = sentPins[parseInt(index, 10)];
      var fields = errors.pins[index];
      Object.keys(fields).forEach(function (field) {
        var label = pin ? p.fmt(p.S.pinError, { comment: pin.comment.slice(0, 40) }) : "";
        item(label + fields[field], pin ? pageOf(pin.question) : -1, pin ? pin.question : "");
      });
    });
    box.appendChild(ul);
    box.hidden = false;
    box.focus();
  }

  function payload() {
    var p = P(), state = p.getState();
    var shown = p.collect();
    // Comments on a map question that a later answer hid are not sent (the server would refuse them).
    sentPins = state.pins.filter(function (pin) { return shown[pin.question]; });
    return {
      key: state.key,
      answers: state.answers,
      website: p.byId("website").value,
      pins: sentPins.map(function (pin) {
        var location = { kind: pin.location.kind };
        if (location.kind === "map" && pin.location.geometry) { location.geometry = pin.location.geometry; }
        else if (location.kind === "map") { location.lat = pin.location.lat; location.lng = pin.location.lng; }
        if (location.kind === "named_place") { location.place = pin.location.place; }
        if (location.kind === "places") { location.places = pin.location.places; }
        if (location.kind === "described") { location.description = pin.location.description; }
        var out = { question: pin.question, value: pin.value, sentiment: pin.sentiment,
                    comment: pin.comment, location: location };
        if (pin.category) { out.category = pin.category; }
        if (pin.photo) { out.photo = pin.photo; }
        return out;
      })
    };
  }

  function retry(attempt, body) {
    var p = P();
    if (attempt + 1 >= p.maxAttempts) {
      status(p.S.failed);
      p.sendButton.disabled = false;
      return;
    }
    var delay = Math.min(1000 * Math.pow(2, attempt), 15000);
    var seconds = Math.round(delay / 1000);
    status(seconds === 1 ? p.S.retryingOne : p.fmt(p.S.retrying, { s: seconds }));
    window.setTimeout(function () { attemptSend(attempt + 1, body); }, delay);
  }

  function attemptSend(attempt, body) {
    var p = P();
    fetch(p.form.dataset.submitUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": p.csrf }
    }).then(function (r) {
      return r.text().then(function (text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        return { status: r.status, data: data };
      });
    }).then(function (result) {
      if (result.data && result.data.ok) {
        p.forget();
        status(p.S.sent);
        window.location.assign(result.data.next);
        return;
      }
      if (result.status >= 500 || result.status === 429) { retry(attempt, body); return; }
      p.sendButton.disabled = false;
      if (result.data && result.data.errors) { status(""); showErrors(result.data.errors); return; }
      status(p.S.expired);
    }).catch(function () { retry(attempt, body); });
  }

  function send() {
    var p = P();
    p.sendButton.disabled = true;
    p.byId("review-errors").hidden = true;
    status(p.S.sending);
    attemptSend(0, JSON.stringify(payload()));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("send");
    if (button) { button.addEventListener("click", send); }
  });

  window.PlatsdialogReview = { build: build };
})();
