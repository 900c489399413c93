// Say honestly that the file is being prepared: the browser shows the download when it arrives.
(function () {
  var script = document.currentScript;
  var status = document.getElementById("export-status");
  document.querySelectorAll(".export-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      status.textContent = script.dataset.preparing;
      var button = form.querySelector("button");
      button.setAttribute("aria-disabled", "true");
      setTimeout(function () { button.removeAttribute("aria-disabled"); }, 15000);
    });
  });
})();
