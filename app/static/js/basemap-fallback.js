// The outline view with a notice when a base map's tiles do not come (its upstream is down).
// Loaded with the map's own scripts; the notice is the hidden <p class="basemap-notice"> below a map.
(function () {
  "use strict";
  function watch(notice) {
    var map = window[notice.dataset.mapName];
    if (!map || !window.L) { return; }
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer) || layer.options.className !== "base-tiles") { return; }
      var loaded = 0, failed = 0;
      layer.on("tileload", function () { loaded += 1; });
      layer.on("tileerror", function () { failed += 1; });
      // "load": every tile in view has answered, one way or the other.
      layer.on("load", function () {
        if (failed > 0 && loaded === 0) {
          // After Leaflet has finished with this event: removing the layer inside it breaks Leaflet.
          setTimeout(function () { map.removeLayer(layer); }, 0);
          notice.hidden = false;
        }
      });
    });
  }
  function start() {
    document.querySelectorAll(".basemap-notice[data-map-name]").forEach(watch);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
