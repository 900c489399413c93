// The outline view with a notice when a base map's tiles do not come (its upstream is down).
// Loaded in the page head right after Leaflet, so it watches the base map layer from its creation
// (tiles can fail before the page has finished loading). The notice is the hidden
// <p class="basemap-notice" data-map-name="…"> below the map.
(function () {
  "use strict";
  if (!window.L) { return; }
  L.TileLayer.addInitHook(function () {
    if (this.options.className !== "base-tiles") { return; }
    var layer = this, loaded = 0, failed = 0;
    layer.on("tileload", function () { loaded += 1; });
    layer.on("tileerror", function () { failed += 1; });
    // "load": every tile in view has answered, one way or the other.
    layer.on("load", function () {
      var map = layer._map;
      if (failed === 0 || loaded > 0 || !map) { return; }
      var notice = document.querySelector(
        '.basemap-notice[data-map-name="' + map.getContainer().id + '"]');
      // After Leaflet has finished with this event: removing the layer inside it breaks Leaflet.
      setTimeout(function () { map.removeLayer(layer); }, 0);
      if (notice) { notice.hidden = false; }
    });
  });
})();
