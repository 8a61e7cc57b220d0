// A report being built: ask its status every second, move the bar, and show the finished
// report when the worker is done. A file, not an inline script, for the security policy.
(function () {
  var box = document.querySelector("[data-testid=progress][data-status-url]");
  if (!box || box.dataset.polling) return;
  box.dataset.polling = "1";
  var bar = box.querySelector(".dd-progress-bar");
  var meter = box.querySelector("[role=progressbar]");
  var text = box.querySelector("[data-testid=progress-text]");
  var timer = setInterval(function () {
    if (!document.body.contains(box)) { clearInterval(timer); return; }
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        bar.style.width = status.progress + "%";
        meter.setAttribute("aria-valuenow", status.progress);
        text.textContent = status.progress + "% · " + status.label;
        if (status.status === "done" || status.status === "failed") {
          clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () {});
  }, 1000);
})();
