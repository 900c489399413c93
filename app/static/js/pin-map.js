// Places the resident's pin on the folium map: click or tap inside the outline, drag to adjust.
(function () {
  "use strict";
  var frame = document.getElementById("pin-map");
  var latField = document.getElementById("pin-lat");
  var lngField = document.getElementById("pin-lng");
  var keyField = document.getElementById("idempotency-key");
  var status = document.getElementById("pin-location");
  if (!frame || !latField) { return; }
  var map = window[frame.dataset.mapName];
  if (!map) { return; }
  if (keyField && !keyField.value) {
    // One key per response: a retried or double-clicked submission is stored once.
    keyField.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() :
      String(Date.now()) + Math.random().toString(16).slice(2);
  }
  var marker = null;
  function place(latlng) {
    latField.value = latlng.lat.toFixed(7);
    lngField.value = latlng.lng.toFixed(7);
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: status.dataset.markerTitle || "" }).addTo(map);
      marker.on("dragend", function () { place(marker.getLatLng()); });
    } else {
      marker.setLatLng(latlng);
    }
    status.classList.remove("field-error");
    status.textContent = (document.documentElement.lang === "en" ? "Place chosen: " : "Vald plats: ") +
      latlng.lat.toFixed(5) + ", " + latlng.lng.toFixed(5);
  }
  map.on("click", function (event) { place(event.latlng); });
  if (latField.value && lngField.value) {
    place(L.latLng(parseFloat(latField.value), parseFloat(lngField.value)));
  }
})();
