// Individual pins on the analysis map, clustered. The popup HTML was escaped on the server.
(function () {
  var script = document.currentScript;
  var map = window[script.getAttribute("data-map")];
  var pins = JSON.parse(document.getElementById("pin-data").textContent);
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  pins.forEach(function (p) {
    L.circleMarker([p[0], p[1]], { radius: 7, color: "#1a1a1a", weight: 1, fillColor: p[2], fillOpacity: 0.9 })
      .bindPopup(p[3], { maxWidth: 320 })
      .addTo(cluster);
  });
  map.addLayer(cluster);
})();
