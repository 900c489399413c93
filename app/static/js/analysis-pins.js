// Individual pins on the analysis map, clustered. The popup HTML was escaped on the server.
// Markers are DOM elements (divIcon), so they can be reached and opened with the keyboard.
(function () {
  var script = document.currentScript;
  var map = window[script.getAttribute("data-map")];
  var pins = JSON.parse(document.getElementById("pin-data").textContent);
  // Without base tiles the map has no zoom limit, which clustering needs.
  if (map.getMaxZoom() === Infinity) { map.setMaxZoom(19); }
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  pins.forEach(function (p) {
    var dot = document.createElement("span");
    dot.style.background = p[2];
    var icon = L.divIcon({ className: "pin-dot", html: dot.outerHTML, iconSize: [18, 18] });
    L.marker([p[0], p[1]], { icon: icon, title: p[4], keyboard: true })
      .bindPopup(p[3], { maxWidth: 320 })
      .addTo(cluster);
  });
  map.addLayer(cluster);
})();
