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
    this.shapeMode = false;   // true on a line or area question: picks become vertices
    this.onUndo = null;
    // Routes and areas are drawn with Leaflet-Geoman (shape-draw.js), when the page has it.
    this.shapes = window.ShapeDrawing && map.pm ? new window.ShapeDrawing(map, strings, null, function (geometry, size) {
      if (self.onShape) { self.onShape(geometry, size); }
    }) : null;
    // While a drawing is under way Geoman takes the taps itself; a long press on a vertex removes it.
    function tapped(e) { if (!(self.shapes && self.shapes.drawing())) { self.pick(e.latlng, "pointer"); } }
    map.on("click", tapped);
    // A long press on a phone is a context menu, not a click: it places a marker too.
    map.on("contextmenu", tapped);
    box.addEventListener("keydown", function (e) {
      if ((e.key === "Enter" || e.key === " ") && e.target === box) {
        e.preventDefault();
        self.pick(map.getCenter(), "keyboard");
      } else if (e.key === "Backspace" && e.target === box && self.shapeMode && self.onUndo) {
        e.preventDefault();
        self.onUndo();
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
    if (this.shapeMode) {  // a route may start just outside; the server checks how much is inside
      outside.hidden = true;
      this.onPick(latlng, how);
      return;
    }
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
      if (pin.location.geometry) {
        var colour = (self.strings.colours || {})[pin.value] || "#1a1a1a";
        var drawn = L.geoJSON(pin.location.geometry, { pmIgnore: true, bubblingMouseEvents: false, style: function () {
          return { color: colour, weight: 5, opacity: 0.8, fillColor: colour, fillOpacity: 0.2, dashArray: "10 6",
                   className: "own-shape" };
        } });
        drawn.on("click", function () { onSelect(pin); });
        self.own.addLayer(drawn);
        return;
      }
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
