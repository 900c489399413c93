// Drawing a route (line) or an area on the questionnaire's map with Leaflet-Geoman, by touch,
// mouse or keyboard (survey-map.js sends Enter and Backspace here). Phone first: large vertex
// handles, visible buttons for undo, finish and remove, nothing that needs hover. Each step is
// announced with the length (m/km) or area (m²/ha); the server measures again in SWEREF 99 TM.
(function () {
  "use strict";

  function fmt(text, params) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return params[k] !== undefined ? params[k] : ""; });
  }
  function decimal(x) { return x.toFixed(1).replace(".", ","); }
  function metres(m) { return m < 1000 ? Math.round(m) + " m" : decimal(m / 1000) + " km"; }
  function squareMetres(a) { return a < 10000 ? Math.round(a) + " m²" : decimal(a / 10000) + " ha"; }

  function lengthOf(map, latlngs) {
    var sum = 0;
    for (var i = 1; i < latlngs.length; i++) { sum += map.distance(latlngs[i - 1], latlngs[i]); }
    return sum;
  }
  // Planar area on a local equirectangular projection: within a percent at a neighbourhood's scale.
  function areaOf(latlngs) {
    if (latlngs.length < 3) { return 0; }
    var lat0 = latlngs[0].lat * Math.PI / 180, sum = 0;
    // Metres per degree at this latitude (WGS84 ellipsoid series).
    var perLat = 111132.92 - 559.82 * Math.cos(2 * lat0) + 1.175 * Math.cos(4 * lat0);
    var perLng = 111412.84 * Math.cos(lat0) - 93.5 * Math.cos(3 * lat0);
    var xs = latlngs.map(function (p) { return p.lng * perLng; });
    var ys = latlngs.map(function (p) { return p.lat * perLat; });
    for (var i = 0, j = latlngs.length - 1; i < latlngs.length; j = i++) { sum += xs[j] * ys[i] - xs[i] * ys[j]; }
    return Math.abs(sum) / 2;
  }
  function round(c) { return Math.round(c * 1e7) / 1e7; }

  function ShapeDrawing(map, strings, colour, onChange) {
    this.map = map;
    this.S = strings;
    this.colour = colour;
    this.onChange = onChange;   // called with (geometry or null, size text) after every change
    this.kind = null;
    this.layer = null;          // the finished drawing, editable
    this.working = null;        // Geoman's layer while vertices are being added
    var self = this;
    map.pm.setLang(document.documentElement.lang === "en" ? "en" : "sv");
    // Geoman's vertex handles are Leaflet markers, nameless buttons in the Tab order; the keyboard
    // draws with the cross, Enter and Backspace instead, so the handles are for fingers only.
    var box = map.getContainer();
    new MutationObserver(function () {
      [].slice.call(box.querySelectorAll(".marker-icon[tabindex]")).forEach(function (el) {
        el.removeAttribute("tabindex"); el.removeAttribute("role"); el.setAttribute("aria-hidden", "true");
      });
    }).observe(box, { childList: true, subtree: true });
    map.on("pm:drawstart", function (e) {
      self.working = e.workingLayer;
      self.working.on("pm:vertexadded", function () { self.step(); });
    });
    map.on("pm:create", function (e) { self.adopt(e.layer); self.finished(); });
  }

  ShapeDrawing.prototype.shapeName = function () { return this.kind === "line" ? "Line" : "Polygon"; };
  ShapeDrawing.prototype.drawing = function () { return !!(this.working && this.map.pm.Draw[this.shapeName()].enabled()); };
  ShapeDrawing.prototype.hasShape = function () { return !!this.layer; };

  ShapeDrawing.prototype.style = function () {
    return { color: this.colour, weight: 5, opacity: 0.9, fillColor: this.colour, fillOpacity: 0.25 };
  };

  ShapeDrawing.prototype.start = function (kind, colour, latlng) {
    this.clear();
    this.kind = kind;
    this.colour = colour || this.colour;
    // Two quick taps at two corners are a double tap to the browser: no zooming while drawing.
    this.zoomOnDoubleTap = this.map.doubleClickZoom.enabled();
    this.map.doubleClickZoom.disable();
    this.map.pm.enableDraw(this.shapeName(), {
      tooltips: false, snappable: false, cursorMarker: false, finishOn: null,
      allowSelfIntersection: kind === "line", pathOptions: this.style(),
      templineStyle: { color: this.colour, weight: 5 }, hintlineStyle: { color: this.colour, dashArray: "6 6", weight: 3 }
    });
    if (latlng) { this.add(latlng); }
  };

  ShapeDrawing.prototype.vertices = function () {
    var layer = this.drawing() ? this.working : this.layer;
    if (!layer) { return []; }
    var latlngs = layer.getLatLngs();
    return this.kind === "area" && Array.isArray(latlngs[0]) ? latlngs[0] : latlngs;
  };

  ShapeDrawing.prototype.size = function () {
    var points = this.vertices();
    return this.kind === "line" ? metres(lengthOf(this.map, points)) : squareMetres(areaOf(points));
  };

  // A vertex where the cross is (keyboard) or was tapped; a corner that would cross the edge is refused.
  ShapeDrawing.prototype.add = function (latlng) {
    if (!this.drawing()) { return; }
    var before = this.vertices().length;
    this.map.pm.Draw[this.shapeName()]._createVertex({ latlng: L.latLng(latlng) });
    if (this.drawing() && this.vertices().length === before) { this.announce(this.S.drawCrossing); }
  };

  ShapeDrawing.prototype.step = function () {
    var n = this.vertices().length, S = this.S;
    var text;
    if (this.kind === "line") {
      text = n < 2 ? fmt(S.drawFirstPoint, { n: n }) : fmt(S.drawPointLine, { n: n, length: this.size() });
    } else {
      text = n < 3 ? fmt(S.drawCorner, { n: n }) : fmt(S.drawCornerArea, { n: n, area: this.size() });
    }
    this.status(text);
    this.announce(text);
  };

  ShapeDrawing.prototype.undo = function () {
    var points = this.vertices();
    if (this.drawing()) {
      if (points.length <= 1) {  // Geoman would leave draw mode; start again with no point instead
        var kind = this.kind;
        this.start(kind);
      } else {
        this.map.pm.Draw[this.shapeName()]._removeLastVertex();
      }
    } else if (this.layer && points.length > (this.kind === "line" ? 2 : 3)) {
      var kept = points.slice(0, -1);
      this.layer.pm.disable();
      this.layer.setLatLngs(this.kind === "line" ? kept : [kept]);
      this.layer.pm.enable(this.editOptions());
      this.changed();
    } else {
      this.announce(this.kind === "line" ? this.S.drawTooFewLine : this.S.drawTooFewArea);
      return;
    }
    var text = fmt(this.S.drawUndone, { n: this.vertices().length });
    this.status(text);
    this.announce(text);
  };

  ShapeDrawing.prototype.finish = function () {
    if (!this.drawing()) { return this.hasShape(); }
    var least = this.kind === "line" ? 2 : 3;
    if (this.vertices().length < least) {
      this.announce(this.kind === "line" ? this.S.drawTooFewLine : this.S.drawTooFewArea);
      return false;
    }
    this.map.pm.Draw[this.shapeName()]._finishShape();  // fires pm:create
    return this.hasShape();
  };

  ShapeDrawing.prototype.editOptions = function () {
    return { allowSelfIntersection: this.kind === "line", snappable: false, draggable: false,
             removeVertexOn: "contextmenu" };
  };

  ShapeDrawing.prototype.restoreZoom = function () {
    if (this.zoomOnDoubleTap) { this.map.doubleClickZoom.enable(); this.zoomOnDoubleTap = false; }
  };

  ShapeDrawing.prototype.adopt = function (layer) {
    var self = this;
    this.restoreZoom();
    this.working = null;
    this.layer = layer;
    layer.setStyle(this.style());
    layer.pm.enable(this.editOptions());
    layer.on("pm:edit pm:vertexremoved pm:vertexadded", function () { self.changed(); });
  };

  ShapeDrawing.prototype.finished = function () {
    var text = fmt(this.kind === "line" ? this.S.drawFinishedLine : this.S.drawFinishedArea,
                   { length: this.size(), area: this.size() });
    this.status(text);
    this.announce(text);
    this.changed();
  };

  ShapeDrawing.prototype.changed = function () { this.onChange(this.geometry(), this.size()); };

  ShapeDrawing.prototype.geometry = function () {
    if (!this.layer) { return null; }
    var geometry = this.layer.toGeoJSON().geometry;
    var r = function (c) { return [round(c[0]), round(c[1])]; };
    geometry.coordinates = geometry.type === "LineString" ? geometry.coordinates.map(r)
      : geometry.coordinates.map(function (ring) { return ring.map(r); });
    return geometry;
  };

  // An earlier drawing opened again for changes.
  ShapeDrawing.prototype.show = function (kind, colour, geometry) {
    this.clear();
    this.kind = kind;
    this.colour = colour || this.colour;
    var layer = L.geoJSON(geometry).getLayers()[0];
    if (!layer) { return; }
    layer.addTo(this.map);
    this.adopt(layer);
    this.status(fmt(kind === "line" ? this.S.drawFinishedLine : this.S.drawFinishedArea,
                    { length: this.size(), area: this.size() }));
  };

  ShapeDrawing.prototype.remove = function () {
    this.clear();
    this.changed();
    this.announce(this.S.drawRemoved);
  };

  ShapeDrawing.prototype.clear = function () {
    if (this.drawing()) { this.map.pm.disableDraw(); }
    this.restoreZoom();
    this.working = null;
    if (this.layer) { this.layer.pm.disable(); this.map.removeLayer(this.layer); this.layer = null; }
    this.status("");
  };

  ShapeDrawing.prototype.status = function (text) {
    var el = document.getElementById("draw-status");
    if (el) { el.textContent = text; }
  };

  ShapeDrawing.prototype.announce = function (text) {
    var live = document.getElementById("map-announce");
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  };

  ShapeDrawing.metres = metres;
  ShapeDrawing.squareMetres = squareMetres;
  window.ShapeDrawing = ShapeDrawing;
})();
