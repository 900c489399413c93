// The planners' area drawing with Leaflet-Geoman: polygon and rectangle tools, edit and remove;
// keeps the hidden GeoJSON field of the area form in step with what is drawn.
(function () {
  "use strict";
  var frame = document.getElementById("draw-map");
  var field = document.getElementById("area-geojson");
  var status = document.getElementById("draw-status");
  if (!frame || !field || !window.L || !L.PM) { return; }
  var map = window[frame.dataset.mapName];
  if (!map) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "sv";
  map.pm.setLang(lang);
  // No tooltips that follow the pointer: the help above the map says what to do (and they hid clicks).
  map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: false, tooltips: false });
  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false, dragMode: false,
    drawPolygon: true, drawRectangle: true, editMode: true, removalMode: true
  });
  // Geoman titles the box around each tool button; the button itself needs the name (WCAG 4.1.2).
  [].slice.call(frame.querySelectorAll(".button-container[title]")).forEach(function (box) {
    var button = box.querySelector(".leaflet-buttons-control-button");
    if (button) { button.setAttribute("aria-label", box.getAttribute("title")); }
  });
  var drawn = L.featureGroup().addTo(map);
  function update() {
    var data = drawn.toGeoJSON();
    var count = data.features.length;
    field.value = count ? JSON.stringify(data) : "";
    var template = lang === "en" ? status.dataset.drawnEn : status.dataset.drawnSv;
    status.textContent = count ? template.replace("{n}", count) : "";
  }
  if (field.value) {
    // A drawing sent back with an error message: show it again so the user can fix it.
    try { L.geoJSON(JSON.parse(field.value)).eachLayer(function (layer) { drawn.addLayer(layer); }); }
    catch (e) { field.value = ""; }
  }
  map.on("pm:create", function (e) {
    drawn.addLayer(e.layer);
    e.layer.on("pm:edit", update);
    update();
  });
  map.on("pm:remove", function (e) { drawn.removeLayer(e.layer); update(); });
  document.getElementById("area-form").addEventListener("submit", update);
})();
