// Leaflet.draw's toolbar and hints in the page's language (loaded after leaflet.draw.js, before
// the map's script makes the toolbar). English pages keep Leaflet.draw's own texts.
(function () {
  "use strict";
  if (!window.L || !L.drawLocal || (document.documentElement.lang || "sv").slice(0, 2) !== "sv") { return; }
  var d = L.drawLocal.draw, e = L.drawLocal.edit;
  d.toolbar.actions = { title: "Avbryt ritningen", text: "Avbryt" };
  d.toolbar.finish = { title: "Avsluta ritningen", text: "Klar" };
  d.toolbar.undo = { title: "Ta bort den senast ritade punkten", text: "Ta bort senaste punkten" };
  d.toolbar.buttons.polygon = "Rita en polygon";
  d.toolbar.buttons.rectangle = "Rita en rektangel";
  d.handlers.polygon.tooltip = { start: "Klicka för att börja rita ytan.",
                                 cont: "Klicka för att fortsätta rita ytan.",
                                 end: "Klicka på första punkten för att stänga ytan." };
  d.handlers.polyline.error = "<strong>Fel:</strong> ytans kanter får inte korsa varandra!";
  d.handlers.rectangle.tooltip = { start: "Klicka och dra för att rita en rektangel." };
  d.handlers.simpleshape.tooltip = { end: "Släpp musknappen för att avsluta." };
  e.toolbar.actions.save = { title: "Spara ändringarna", text: "Spara" };
  e.toolbar.actions.cancel = { title: "Avbryt och kasta ändringarna", text: "Avbryt" };
  e.toolbar.actions.clearAll = { title: "Ta bort allt som ritats", text: "Ta bort allt" };
  e.toolbar.buttons = { edit: "Ändra ytorna", editDisabled: "Inga ytor att ändra",
                        remove: "Ta bort ytor", removeDisabled: "Inga ytor att ta bort" };
  e.handlers.edit.tooltip = { text: "Dra i hörnen för att ändra ytan.",
                              subtext: "Klicka på Avbryt för att ångra." };
  e.handlers.remove.tooltip = { text: "Klicka på en yta för att ta bort den." };
})();
