// Warn two minutes before a staff session ends; "stay logged in" renews it. The server says on
// every htmx response how many seconds are left (X-Baken-Session-Seconds): background polls
// do not renew the session, so the warning keeps counting while only they run.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.dataset.sessionSeconds || "0", 10);
  if (!seconds) { return; }
  var warning = document.getElementById("session-warning");
  var button = document.getElementById("session-keepalive");
  var warnTimer, endTimer;

  function schedule(left) {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warnTimer = setTimeout(function () { warning.hidden = false; button.focus(); },
      Math.max(left - 120, 0) * 1000);
    endTimer = setTimeout(function () { window.location.reload(); }, (left + 2) * 1000);
  }
  function fromHeader(value) {
    var left = parseInt(value || "", 10);
    if (!isNaN(left)) {
      if (left > 120) { warning.hidden = true; }
      schedule(left);
    }
  }

  button.addEventListener("click", function () {
    fetch(body.dataset.keepaliveUrl, { credentials: "same-origin" }).then(function (response) {
      if (response.ok) { fromHeader(response.headers.get("X-Baken-Session-Seconds")); }
      else { window.location.reload(); }
    });
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    fromHeader(event.detail.xhr && event.detail.xhr.getResponseHeader("X-Baken-Session-Seconds"));
  });
  // The chat console renews the session over its websocket (chat.consumers).
  document.body.addEventListener("baken:activity", function () { schedule(seconds); });
  schedule(seconds);
})();
