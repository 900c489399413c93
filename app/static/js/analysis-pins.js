// Individual pins on the analysis map, clustered. The popup HTML was escaped on the server.
// Markers are DOM elements (divIcon), so they can be reached and opened with the keyboard.
// A drawn route or area (p[5], GeoJSON) is drawn in its value's colour beside its marker, which
// stays as its keyboard handle; clicking the line or area opens the same popup.
(function () {
  var script = document.currentScript;
  var map = window[script.getAttribute("data-map")];
  var pins = JSON.parse(document.getElementById("pin-data").textContent);
  // Without base tiles the map has no zoom limit, which clustering needs.
  if (map.getMaxZoom() === Infinity) { map.setMaxZoom(19); }
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  var drawn = L.featureGroup();
  // SVG, not the map's canvas: a few shapes, each its own element with its own click target.
  var renderer = L.svg();
  var routes = [];
  pins.forEach(function (p) {
    var dot = document.createElement("span");
    dot.style.background = p[2];
    var icon = L.divIcon({ className: "pin-dot", html: dot.outerHTML, iconSize: [18, 18] });
    L.marker([p[0], p[1]], { icon: icon, title: p[4], keyboard: true })
      .bindPopup(p[3], { maxWidth: 320 })
      .addTo(cluster);
    if (p[5]) {
      var shape = L.geoJSON(p[5], { renderer: renderer,
                                    style: { color: p[2], weight: 4, opacity: 0.9, fillOpacity: 0.25 } })
        .bindPopup(p[3], { maxWidth: 320 })
        .addTo(drawn);
      if (p[5].type.indexOf("LineString") !== -1) { routes.push(shape); }
    }
  });
  map.addLayer(drawn);
  // Routes above areas, so a route across an area can still be clicked.
  routes.forEach(function (route) { route.bringToFront(); });
  map.addLayer(cluster);
})();
