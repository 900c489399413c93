// The map's attribution (whose map it is, under which licence): a plain "Leaflet" credit, and on a
// narrow map the credits fold behind a small "i" button that opens them in place to its left (app.css decides
// when a map is narrow, so nothing moves once the page is drawn). Loaded in the head after Leaflet,
// before any map is made; maps.MapCredits adds the button with its words from our catalog.
(function () {
  "use strict";
  if (!window.L) { return; }

  // Leaflet still credited, without the flag picture its default prefix carries.
  L.Control.Attribution.mergeOptions({
    prefix: '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>'
  });

  // Leaflet rewrites its container's HTML on every change of the credits; with a button in the
  // container it writes into the text part instead, so the button (and its focus) stays.
  var update = L.Control.Attribution.prototype._update;
  L.Control.Attribution.include({
    _update: function () {
      if (!this._creditsText) { return update.call(this); }
      var container = this._container;
      this._container = this._creditsText;
      try { update.call(this); } finally { this._container = container; }
    }
  });

  function setOpen(box, button, open) {
    box.classList.toggle("map-credits-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  // texts: {label: "About the map"} in the page's language.
  function add(map, texts) {
    var control = map.attributionControl;
    if (!control || control._creditsText) { return; }
    var box = control.getContainer();
    var text = document.createElement("span");
    text.className = "map-credits-text";
    text.id = map.getContainer().id + "-credits";
    while (box.firstChild) { text.appendChild(box.firstChild); }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "map-credits-toggle";
    button.title = texts.label;
    button.setAttribute("aria-controls", text.id);
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "i";
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = texts.label;
    button.appendChild(mark);
    button.appendChild(name);
    box.classList.add("map-credits");
    box.appendChild(button);  // first: Tab goes from the button into the credits it opened
    box.appendChild(text);
    control._creditsText = text;
    setOpen(box, button, false);
    button.addEventListener("click", function () {
      setOpen(box, button, button.getAttribute("aria-expanded") !== "true");
    });
    // Escape folds the credits again, from the button or from a licence link inside them.
    box.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && box.classList.contains("map-credits-open")) {
        e.stopPropagation();
        setOpen(box, button, false);
        button.focus();
      }
    });
    // Keys and taps on the credits are theirs, not the map's (Enter there must not place a pin).
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.on(box, "keydown", L.DomEvent.stopPropagation);
  }

  window.PlatsdialogMapCredits = { add: add };
})();
