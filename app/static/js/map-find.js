// "Where am I" on the questionnaire's map: the browser's position (used only on this device and
// never sent) or a search over the dialogue's named places and the municipality's addresses. Both
// only move the map; the resident still taps to mark the place.
(function () {
  "use strict";
  var box = document.getElementById("map-find");
  var frame = document.getElementById("pin-map");
  if (!box || !frame) { return; }
  var S = JSON.parse(document.getElementById("survey-strings").textContent);
  var input = document.getElementById("place-search"), list = document.getElementById("place-results");
  var status = document.getElementById("find-status"), locate = document.getElementById("locate");
  var here = null, timer = null, asked = "";

  function map() { return window[frame.dataset.mapName]; }
  function say(text) { status.textContent = text; }
  function show(lat, lng, text) {
    map().setView([lat, lng], Math.max(map().getZoom(), 17));
    say(text);
  }

  function render(results) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button"; b.className = "link-button"; b.textContent = r.label;
      b.addEventListener("click", function () {
        list.textContent = "";
        input.value = r.label;
        show(r.lat, r.lng, S.findShown.replace("{name}", r.label));
        frame.querySelector(".leaflet-container").focus();
      });
      li.appendChild(b); list.appendChild(li);
    });
    if (asked.length >= 2) { say(results.length ? S.findCount.replace("{n}", results.length) : S.findNone); }
  }

  input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      asked = input.value.trim();
      if (asked.length < 2) { list.textContent = ""; return; }
      var url = input.dataset.url + "?q=" + encodeURIComponent(asked);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
        .then(function (data) { if (input.value.trim() === asked) { render(data.results); } })
        .catch(function () { say(S.findFailed); });
    }, 250);
  });

  if (!navigator.geolocation) { locate.hidden = true; return; }
  locate.addEventListener("click", function () {
    say(S.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      var at = [position.coords.latitude, position.coords.longitude];
      if (here) { here.setLatLng(at); } else {
        here = L.circleMarker(at, { radius: 9, color: "#1a1a1a", weight: 3, fillColor: "#ffbf47",
                                    fillOpacity: 1, interactive: false }).addTo(map());
      }
      show(at[0], at[1], S.located);
    }, function () { say(S.locateFailed); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
