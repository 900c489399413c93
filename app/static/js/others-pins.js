// Others' published comments on a dialogue map, clustered; their text is set as text, never HTML.
(function () {
  "use strict";
  var SYMBOLS = { positive: "+", negative: "!", idea: "?" };

  function pinIcon(value, sentiment, extraClass) {
    return L.divIcon({
      className: "pin-marker pin-" + value + " " + (extraClass || ""),
      html: '<span aria-hidden="true">' + (SYMBOLS[sentiment] || "") + "</span>",
      iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -14]
    });
  }

  function popupContent(pin) {
    var box = document.createElement("div");
    box.className = "others-popup";
    var text = document.createElement("p");
    text.textContent = pin.text;  // resident text: never innerHTML
    box.appendChild(text);
    if (pin.photo) {
      var img = document.createElement("img");
      img.src = pin.photo; img.alt = ""; img.loading = "lazy"; img.className = "popup-photo";
      box.appendChild(img);
    }
    return box;
  }

  function showOthersPins(map, url, labels) {
    if (!url || !L.markerClusterGroup) { return null; }
    // Without a tile layer the map has no zoom limit, and clustering needs one.
    if (map.options.maxZoom === undefined) { map.options.maxZoom = 19; }
    var layer = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      data.pins.forEach(function (pin) {
        var title = (labels && labels[pin.value]) ? labels[pin.value] : pin.value;
        var marker = L.marker([pin.lat, pin.lng], {
          icon: pinIcon(pin.value, pin.sentiment, "others"), title: title, alt: title, keyboard: false
        });
        marker.bindPopup(popupContent(pin));
        layer.addLayer(marker);
      });
    }).catch(function () { /* others' comments are a bonus; the page works without them */ });
    map.addLayer(layer);
    return layer;
  }

  window.PlatsdialogPins = { pinIcon: pinIcon, showOthersPins: showOthersPins };

  var frame = document.getElementById("area-map");
  if (frame && frame.dataset.othersUrl) {
    var map = window[frame.dataset.mapName];
    if (map) { showOthersPins(map, frame.dataset.othersUrl); }
  }
})();
