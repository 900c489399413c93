// Keeps the hidden GeoJSON field of the area form in step with what is drawn with Leaflet.draw.
(function () {
  "use strict";
  var frame = document.getElementById("draw-map");
  var field = document.getElementById("area-geojson");
  var status = document.getElementById("draw-status");
  if (!frame || !field) { return; }
  var map = window[frame.dataset.mapName];
  var drawn = window["drawnItems_" + frame.dataset.drawName];
  if (!map || !drawn) { return; }
  function update() {
    var data = drawn.toGeoJSON();
    var count = data.features.length;
    field.value = count ? JSON.stringify(data) : "";
    var template = document.documentElement.lang === "en" ? status.dataset.drawnEn : status.dataset.drawnSv;
    status.textContent = count ? template.replace("{n}", count) : "";
  }
  if (field.value) {
    // A drawing sent back with an error message: show it again so the user can fix it.
    try { L.geoJSON(JSON.parse(field.value)).eachLayer(function (layer) { drawn.addLayer(layer); }); }
    catch (e) { field.value = ""; }
  }
  map.on("draw:created", function () { setTimeout(update, 0); });
  map.on("draw:edited draw:deleted", update);
  document.getElementById("area-form").addEventListener("submit", update);
})();
