// The dialogue's named places as labels on a map: a dot and the name with a light halo, never
// catching a tap or a Tab key (a tap goes through to the pin, cluster or map under it).
// Labels yield to the data, as on the best map products: a name is written beside its dot on
// the first side free of pins, clusters, the map's controls and other names (right, left, above,
// below, then the corners); where a pin or cluster covers the place itself, the dot gives way and
// the name is written beside that marker; where no side is free, the name is hidden at this zoom.
// The planners' order decides which name gets the room first.
(function () {
  "use strict";
  if (!window.L) { return; }
  var DOT = 10, GAP = 4, CLEAR = 3;  // dot size (with its border), dot-to-name gap, marker margin

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function box(left, top, width, height) {
    return { left: left, top: top, right: left + width, bottom: top + height };
  }

  function inside(a, size) {
    return a.left >= 0 && a.top >= 0 && a.right <= size.x && a.bottom <= size.y;
  }

  // Boxes from the map's own projection and the elements' layout sizes, not from the screen:
  // they stay true while a zoom animation scales the panes or a cluster glides to its place.
  function markerBox(map, marker) {
    var el = marker.getElement(), at = map.latLngToContainerPoint(marker.getLatLng());
    return box(at.x + (parseFloat(el.style.marginLeft) || 0), at.y + (parseFloat(el.style.marginTop) || 0),
               el.offsetWidth, el.offsetHeight);
  }

  // Every pin, cluster or other marker on the map now (the names' own markers excepted), with a
  // margin for the names' halo and for Leaflet rounding marker positions to whole pixels.
  function dataBoxes(map) {
    var boxes = [];
    map.eachLayer(function (layer) {
      if (layer instanceof L.Marker && layer.options.pane !== "placeLabels" && layer.getElement()) {
        var b = markerBox(map, layer);
        boxes.push(box(b.left - CLEAR, b.top - CLEAR, b.right - b.left + 2 * CLEAR, b.bottom - b.top + 2 * CLEAR));
      }
    });
    return boxes;
  }

  // The map's own buttons, layer list, scale and credits (drawn over the panes: a name under one
  // could not be read). They sit in the container's corners, never moved by a zoom.
  function controlBoxes(map) {
    var frame = map.getContainer().getBoundingClientRect();
    return Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control"), function (el) {
      var r = el.getBoundingClientRect();
      return box(r.left - frame.left, r.top - frame.top, r.width, r.height);
    });
  }

  // Where the name may go (top-left corners), around the dot or around the marker covering it:
  // beside it, then over or under it, then at its corners.
  function spots(around, width, height, gap) {
    var middleX = (around.left + around.right) / 2 - width / 2;
    var middleY = (around.top + around.bottom) / 2 - height / 2;
    var right = around.right + gap, left = around.left - gap - width;
    var above = around.top - gap - height, below = around.bottom + gap;
    return [
      { side: "right", left: right, top: middleY }, { side: "left", left: left, top: middleY },
      { side: "above", left: middleX, top: above }, { side: "below", left: middleX, top: below },
      { side: "above-right", left: right, top: above }, { side: "below-right", left: right, top: below },
      { side: "above-left", left: left, top: above }, { side: "below-left", left: left, top: below }
    ];
  }

  function place(map, label, data, taken, size) {
    var el = label.marker.getElement();
    if (!el) { return; }
    var at = map.latLngToContainerPoint(label.marker.getLatLng());
    var dot = box(at.x - DOT / 2, at.y - DOT / 2, DOT, DOT);
    var text = label.text, width = label.width, height = label.height;
    var hit = function (b) { return taken.some(function (o) { return overlaps(b, o); }); };
    var away = function (o) {
      return Math.abs((o.left + o.right) / 2 - at.x) + Math.abs((o.top + o.bottom) / 2 - at.y);
    };
    // The markers over the place, nearest first: the name goes beside the one drawn on it.
    var covering = data.filter(function (o) { return overlaps(dot, o); })
      .sort(function (a, b) { return away(a) - away(b); });
    var chosen = null;
    if (!hit(dot)) {  // a place whose dot another name already covers is left to that name
      var blocked = taken.concat(data);
      var candidates = covering.length ? spots(covering[0], width, height, 0) : spots(dot, width, height, GAP);
      // Wholly on the map, so no name is cut by its edge (a place off the map: anywhere free).
      var onMap = inside(dot, size);
      var free = candidates.filter(function (spot) {
        var b = box(spot.left, spot.top, width, height);
        return (!onMap || inside(b, size)) && !blocked.some(function (o) { return overlaps(b, o); });
      });
      chosen = free[0] || null;
    }
    el.classList.toggle("place-label-crowded", !chosen);
    el.classList.toggle("place-label-bare", covering.length > 0);
    if (label.side) { el.classList.remove("place-label-" + label.side); }
    label.side = chosen && chosen.side;  // a class for the side the name is on: place-label-left, ...
    if (label.side) { el.classList.add("place-label-" + label.side); }
    if (!chosen) { return; }
    // The name's position relative to the marker element, whose corner is the dot's corner.
    text.style.left = (chosen.left - dot.left) + "px";
    text.style.top = (chosen.top - dot.top) + "px";
    taken.push(dot, box(chosen.left, chosen.top, width, height));
  }

  function declutter(map, labels) {
    var data = dataBoxes(map), taken = controlBoxes(map), size = map.getSize();
    // Every size is read before any name is moved: one layout, not one per name.
    labels.forEach(function (label) {
      label.width = label.text.offsetWidth;
      label.height = label.text.offsetHeight;
    });
    labels.forEach(function (label) { place(map, label, data, taken, size); });
  }

  function labelElement(name) {
    var wrap = document.createElement("span");
    wrap.className = "place-label-box";
    var dot = document.createElement("span");
    dot.className = "place-label-dot";
    var text = document.createElement("span");
    text.className = "place-label-text";
    text.textContent = name;  // a name is text, never markup
    wrap.appendChild(dot);
    wrap.appendChild(text);
    return wrap;
  }

  // places: [[lat, lng, name], ...] in the planners' order (the first ones win where crowded).
  function add(map, places) {
    if (!places.length) { return; }
    var pane = map.getPane("placeLabels") || map.createPane("placeLabels");
    // Over outlines, grid and heat (400), under the pins and clusters (600): a name is placed
    // clear of them, and should a marker still come over one (while dragged), the data wins.
    pane.style.zIndex = 550;
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");  // the page lists the places in words
    var labels = places.map(function (p) {
      var html = labelElement(p[2]);
      var marker = L.marker([p[0], p[1]], {
        pane: "placeLabels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "place-label", html: html, iconSize: null,
                          iconAnchor: [DOT / 2, DOT / 2] })
      }).addTo(map);
      return { marker: marker, text: html.lastChild };
    });
    // After Leaflet has placed the markers for the new view (it may do so after zoomend), and
    // whenever pins or clusters come or go (they are fetched later, and re-clustered on zoom).
    var timer = null;
    var again = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { declutter(map, labels); }, 0);
    };
    map.on("zoomend moveend viewreset resize layeradd layerremove", again);
    // A marker that moves (the resident's own pin, tapped to a new place or dragged) moves names;
    // Leaflet adds a listener once, however often the marker comes back to the map.
    var follow = function (layer) {
      if (layer instanceof L.Marker && layer.options.pane !== "placeLabels") { layer.on("move", again); }
    };
    map.eachLayer(follow);
    map.on("layeradd", function (e) { follow(e.layer); });
    again();
  }

  window.PlatsdialogPlaceLabels = { add: add };
})();
