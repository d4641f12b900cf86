// Warn two minutes before an idle staff session ends; "stay logged in" renews it.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.dataset.sessionSeconds || "0", 10);
  if (!seconds) { return; }
  var warning = document.getElementById("session-warning");
  var button = document.getElementById("session-keepalive");
  var warnTimer, endTimer;

  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warnTimer = setTimeout(function () { warning.hidden = false; button.focus(); },
      Math.max(seconds - 120, 0) * 1000);
    endTimer = setTimeout(function () { window.location.reload(); }, (seconds + 2) * 1000);
  }

  button.addEventListener("click", function () {
    fetch(body.dataset.keepaliveUrl, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) { warning.hidden = true; schedule(); } else { window.location.reload(); }
    });
  });
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
