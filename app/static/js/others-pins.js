// Others' published comments on a dialogue map, clustered in the value's colour; their text is
// set as text, never HTML. On the landing page they open popups; on the questionnaire they are
// shown only on request, for the current value, and never take a tap or a Tab stop.
(function () {
  "use strict";
  var SYMBOLS = { positive: "+", negative: "!", idea: "?" };
  // Clusters are not tab stops ("4", "14", ... say nothing); the landing page lists the comments.
  if (window.L && L.MarkerCluster) { L.MarkerCluster.prototype.options.keyboard = false; }

  function pinIcon(value, sentiment, extraClass) {
    return L.divIcon({
      className: "pin-marker pin-" + value + " " + (extraClass || ""),
      html: '<span aria-hidden="true">' + (SYMBOLS[sentiment] || "") + "</span>",
      iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -14]
    });
  }

  function title(pin, labels) {
    var value = (labels && labels.values && labels.values[pin.value]) || pin.value;
    var kind = (labels && labels.sentiments && labels.sentiments[pin.sentiment]) || pin.sentiment;
    return value + " – " + kind;
  }

  function popupContent(pin, labels) {
    var box = document.createElement("div");
    box.className = "others-popup";
    var head = document.createElement("p");
    head.className = "others-popup-title";
    head.textContent = title(pin, labels);
    box.appendChild(head);
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

  // A cluster takes the colour of the value most of its comments are about.
  function clusterIcon(cluster) {
    var counts = {};
    cluster.getAllChildMarkers().forEach(function (m) { counts[m.options.value] = (counts[m.options.value] || 0) + 1; });
    var value = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0] || "none";
    var n = cluster.getChildCount();
    return L.divIcon({
      className: "others-cluster pin-" + value, iconSize: [40, 40],
      html: '<span aria-hidden="true">' + n + "</span>"
    });
  }

  // options: {values: [...] to show only those, passive: true for markers that take no tap}
  function showOthersPins(map, url, labels, options) {
    options = options || {};
    if (!url || !L.markerClusterGroup) { return null; }
    // Without a tile layer the map has no zoom limit, and clustering needs one.
    if (map.options.maxZoom === undefined) { map.options.maxZoom = 19; }
    var pane = options.passive ? "others-passive" : undefined;
    if (pane && !map.getPane(pane)) {
      map.createPane(pane).style.pointerEvents = "none";  // a tap goes through to the map
    }
    var layer = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon,
      zoomToBoundsOnClick: !options.passive, clusterPane: pane || L.Marker.prototype.options.pane
    });
    // Others' routes and areas, drawn as lines and polygons in their value's colour beside the
    // clustered point on each (which carries the popup and the count).
    var shapes = L.layerGroup();
    var popupWidth = Math.min(320, Math.max(200, window.innerWidth - 60));
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      data.pins.forEach(function (pin) {
        if (options.values && options.values.indexOf(pin.value) < 0) { return; }
        var words = title(pin, labels);
        var marker = L.marker([pin.lat, pin.lng], {
          icon: pinIcon(pin.value, pin.sentiment, "others"), title: words, alt: words, keyboard: false,
          value: pin.value, interactive: !options.passive, pane: pane || "markerPane"
        });
        if (!options.passive) {
          marker.bindPopup(popupContent(pin, labels), { maxWidth: popupWidth, minWidth: popupWidth });
        }
        layer.addLayer(marker);
        if (pin.shape) {
          var drawn = L.geoJSON(pin.shape, {
            pmIgnore: true, interactive: !options.passive, pane: options.passive ? pane : "overlayPane",
            style: function () {
              return { color: pin.colour || "#1a1a1a", weight: 4, opacity: 0.75, fillOpacity: 0.15,
                       className: "others-shape others-shape-" + pin.value };
            }
          });
          if (!options.passive) {
            drawn.bindPopup(popupContent(pin, labels), { maxWidth: popupWidth, minWidth: popupWidth });
          }
          shapes.addLayer(drawn);
        }
      });
      if (options.onLoad) { options.onLoad(layer.getLayers().length); }
    }).catch(function () { /* others' comments are a bonus; the page works without them */ });
    var both = L.layerGroup([shapes, layer]);
    map.addLayer(both);
    return both;
  }

  window.PlatsdialogPins = { pinIcon: pinIcon, showOthersPins: showOthersPins, title: title };

  var frame = document.getElementById("area-map");
  if (frame && frame.dataset.othersUrl) {
    var map = window[frame.dataset.mapName];
    var labels = frame.dataset.labels ? JSON.parse(frame.dataset.labels) : null;
    if (map) { showOthersPins(map, frame.dataset.othersUrl, labels); }
  }
})();
