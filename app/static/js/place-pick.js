// Fills the latitude and longitude fields of the named-place form from a click on the map.
(function () {
  "use strict";
  var frame = document.getElementById("place-map");
  var lat = document.getElementById("lat");
  var lng = document.getElementById("lng");
  if (!frame || !lat || !lng) { return; }
  var map = window[frame.dataset.mapName];
  if (!map) { return; }
  var marker = null;
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lng.value = event.latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
  });
})();
