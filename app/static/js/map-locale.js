// Leaflet's own controls in the page's language (loaded in the head after Leaflet, before any map).
(function () {
  "use strict";
  if (!window.L) { return; }
  var texts = {
    sv: { zoomIn: "Zooma in", zoomOut: "Zooma ut" },
    en: { zoomIn: "Zoom in", zoomOut: "Zoom out" }
  };
  var lang = (document.documentElement.lang || "sv").slice(0, 2);
  var t = texts[lang] || texts.en;
  L.Control.Zoom.mergeOptions({ zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut });
})();
