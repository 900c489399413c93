// The questionnaire's map: tap, click or Enter (at the centre cross) to place; drag to adjust.
(function () {
  "use strict";

  function ringsOf(geometry) {
    if (!geometry) { return []; }
    if (geometry.type === "Feature") { return ringsOf(geometry.geometry); }
    if (geometry.type === "FeatureCollection") {
      return geometry.features.reduce(function (all, f) { return all.concat(ringsOf(f)); }, []);
    }
    if (geometry.type === "Polygon") { return geometry.coordinates; }
    if (geometry.type === "MultiPolygon") {
      return geometry.coordinates.reduce(function (all, p) { return all.concat(p); }, []);
    }
    return [];
  }

  // Even-odd ray casting over every ring: holes and separate parts come out right.
  function contains(rings, lat, lng) {
    var inside = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if (((yi > lat) !== (yj > lat)) && (lng < (xj - xi) * (lat - yi) / (yj - yi) + xi)) {
          inside = !inside;
        }
      }
    });
    return inside;
  }

  function SurveyMap(map, area, strings, onPick) {
    this.map = map;
    this.rings = ringsOf(area);
    this.strings = strings;
    this.onPick = onPick;
    this.draft = null;
    this.own = L.layerGroup().addTo(map);
    var self = this;
    var box = map.getContainer();
    box.setAttribute("role", "application");
    box.setAttribute("aria-label", strings.mapLabel);
    box.setAttribute("aria-describedby", "map-help");
    // Keep the map's idea of its size true when the page around it changes (rotation, content).
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize({ pan: true }); }).observe(box);
    }
    cooperativeGestures(map);
    map.on("click", function (e) { self.pick(e.latlng, "pointer"); });
    // A long press on a phone is a context menu, not a click: it places a marker too.
    map.on("contextmenu", function (e) { self.pick(e.latlng, "pointer"); });
    box.addEventListener("keydown", function (e) {
      if ((e.key === "Enter" || e.key === " ") && e.target === box) {
        e.preventDefault();
        self.pick(map.getCenter(), "keyboard");
      }
    });
  }

  SurveyMap.prototype.inside = function (lat, lng) { return contains(this.rings, lat, lng); };

  SurveyMap.prototype.announce = function (text) {
    var live = document.getElementById("map-announce");
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  };

  SurveyMap.prototype.pick = function (latlng, how) {
    var outside = document.getElementById("map-outside");
    if (!this.inside(latlng.lat, latlng.lng)) {
      outside.textContent = this.strings.outside;  // beside the map, where the eye is
      outside.hidden = false;
      this.announce(this.strings.outside);
      this.onPick(null, how);
      return;
    }
    outside.hidden = true;
    this.onPick(latlng, how);
  };

  // Scroll so the marker stays in sight near the top while the editor below it opens.
  SurveyMap.prototype.keepInSight = function (latlng) {
    var box = this.map.getContainer().getBoundingClientRect();
    var y = box.top + this.map.latLngToContainerPoint(latlng).y;
    if (y < 60 || y > window.innerHeight * 0.4) {
      window.scrollBy(0, y - Math.min(120, window.innerHeight * 0.2));
    }
  };

  // On a touch screen one finger scrolls the page and taps; two fingers move and zoom the map
  // (cooperative gestures), with a hint when a single finger moves over it.
  function cooperativeGestures(map) {
    if (!(window.matchMedia && window.matchMedia("(pointer: coarse)").matches)) { return; }
    var box = map.getContainer(), hint = document.getElementById("map-gesture-hint"), timer = null;
    map.dragging.disable();
    box.addEventListener("touchmove", function (e) {
      if (e.touches.length !== 1 || !hint) { return; }
      hint.hidden = false;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { hint.hidden = true; }, 1500);
    }, { passive: true });
    box.addEventListener("touchstart", function (e) {
      if (e.touches.length > 1 && hint) { hint.hidden = true; }
    }, { passive: true });
  }

  SurveyMap.prototype.setDraft = function (latlng, value, sentiment) {
    var self = this;
    var icon = window.PlatsdialogPins.pinIcon(value || "none", sentiment, "draft");
    if (!this.draft) {
      this.draft = L.marker(latlng, { draggable: true, keyboard: false, icon: icon,
                                      title: this.strings.draftTitle }).addTo(this.map);
      this.draft.on("dragend", function () {
        var at = self.draft.getLatLng();
        if (self.inside(at.lat, at.lng)) {
          self.lastGood = at;
          self.onPick(at, "drag");
        } else {
          self.draft.setLatLng(self.lastGood);
          self.announce(self.strings.outside);
        }
      });
    } else {
      this.draft.setLatLng(latlng);
      this.draft.setIcon(icon);
    }
    this.lastGood = latlng;
  };

  SurveyMap.prototype.clearDraft = function () {
    if (this.draft) { this.map.removeLayer(this.draft); this.draft = null; }
  };

  // The resident's saved comments of the current question, as markers that open the editor.
  SurveyMap.prototype.showOwn = function (pins, labelOf, onSelect) {
    var self = this;
    this.own.clearLayers();
    pins.forEach(function (pin) {
      if (pin.location.kind !== "map") { return; }
      var marker = L.marker([pin.location.lat, pin.location.lng], {
        icon: window.PlatsdialogPins.pinIcon(pin.value, pin.sentiment, "own"),
        title: labelOf(pin), keyboard: false
      });
      marker.on("click", function () { onSelect(pin); });
      self.own.addLayer(marker);
    });
  };

  SurveyMap.prototype.refresh = function () {
    var map = this.map;
    window.setTimeout(function () { map.invalidateSize(); }, 0);
  };

  window.SurveyMap = SurveyMap;
})();
