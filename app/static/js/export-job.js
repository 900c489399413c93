// Follows an export job without reloading: the bar, rows and estimate every second; the state is
// announced (polite live region) only when it changes; the download appears when the file is ready.
(function () {
  var script = document.currentScript;
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var words = script.dataset;
  var numbers = new Intl.NumberFormat(words.locale || "sv");
  var stateText = document.getElementById("job-state");
  var bar = document.getElementById("job-progress");
  var rows = document.getElementById("job-rows");
  var eta = document.getElementById("job-eta");
  var error = document.getElementById("job-error");
  var download = document.getElementById("job-download");
  var refresh = document.getElementById("job-refresh");
  var shown = box.dataset.state;
  var label = {queued: words.queued, running: words.running, done: words.ready,
               failed: words.failed, expired: words.expired};

  function show(job) {
    if (bar) {
      bar.max = job.rows_total;
      bar.value = job.rows_done;
      rows.textContent = words.rows.replace("{done}", numbers.format(job.rows_done))
        .replace("{total}", numbers.format(job.rows_total));
      eta.textContent = job.eta_seconds === null ? "" :
        words.eta.replace("{seconds}", numbers.format(job.eta_seconds));
    }
    if (job.state !== shown) {
      shown = job.state;
      box.dataset.state = job.state;
      stateText.textContent = words.theFileIs + " " + label[job.state] + ".";
    }
    error.hidden = job.state !== "failed";
    if (job.state === "failed") { error.textContent = job.error || ""; }
    download.hidden = job.state !== "done";
    refresh.hidden = job.state !== "queued" && job.state !== "running";
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (job) { show(job); }
        if (!job || job.state === "queued" || job.state === "running") { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }

  if (shown === "queued" || shown === "running") { setTimeout(poll, 1000); }
})();
