// The dialogue's named places as labels on a map: a dot and the name with a light halo, drawn
// above the base map and the pins, never catching a tap or a Tab key (a tap goes through to the
// pin, cluster or map under it). Where labels would overlap (zoomed out), the later ones in the
// planners' order are hidden until there is room.
(function () {
  "use strict";
  if (!window.L) { return; }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Boxes from the map's own projection and the label's layout size, not from the screen:
  // they stay true while a zoom animation scales the panes.
  function declutter(map, markers) {
    var shown = [], size = map.getSize();
    markers.forEach(function (marker) {
      var el = marker.getElement();
      if (!el) { return; }
      var at = map.latLngToContainerPoint(marker.getLatLng());
      var inner = el.firstChild, width = inner.offsetWidth;
      // A name that would run off the map's right edge is written to the left of its dot.
      var left = at.x - 5 + width > size.x && at.x + 5 - width >= 0;
      el.classList.toggle("place-label-left", left);
      var box = { left: left ? at.x + 5 - width : at.x - 5, top: at.y - inner.offsetHeight / 2,
                  right: left ? at.x + 5 : at.x - 5 + width, bottom: at.y + inner.offsetHeight / 2 };
      var outside = box.right < 0 || box.left > size.x || box.bottom < 0 || box.top > size.y;
      var crowded = !outside && shown.some(function (other) { return overlaps(box, other); });
      el.classList.toggle("place-label-crowded", crowded);
      if (!outside && !crowded) { shown.push(box); }
    });
  }

  function label(name) {
    var box = document.createElement("span");
    box.className = "place-label-box";
    var dot = document.createElement("span");
    dot.className = "place-label-dot";
    var text = document.createElement("span");
    text.className = "place-label-text";
    text.textContent = name;  // a name is text, never markup
    box.appendChild(dot);
    box.appendChild(text);
    return box;
  }

  // places: [[lat, lng, name], ...] in the planners' order (the first ones win where crowded).
  function add(map, places) {
    if (!places.length) { return; }
    var pane = map.getPane("placeLabels") || map.createPane("placeLabels");
    // Over outlines, grid and heat (400) and over the pins and clusters (600), so a name stays
    // readable where residents have answered; under tooltips (650) and popups (700).
    pane.style.zIndex = 625;
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");  // the page lists the places in words
    var markers = places.map(function (p) {
      return L.marker([p[0], p[1]], {
        pane: "placeLabels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "place-label", html: label(p[2]), iconSize: null,
                          iconAnchor: [5, 5] })
      }).addTo(map);
    });
    // After Leaflet has placed the markers for the new view (it may do so after zoomend).
    var timer = null;
    var again = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { declutter(map, markers); }, 0);
    };
    map.on("zoomend moveend viewreset resize", again);
    again();
  }

  window.PlatsdialogPlaceLabels = { add: add };
})();
