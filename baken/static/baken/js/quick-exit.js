// Quick exit ("Snel weg"): blank the page at once, then replace this page in the history with a
// neutral site so that Back does not come back here. Button click, or Shift pressed 3 times.
(function () {
  "use strict";
  var script = document.currentScript;
  var exitUrl = (script && script.dataset.exitUrl) || "https://www.weeronline.nl/";

  function leave(event) {
    if (event) { event.preventDefault(); }
    document.documentElement.style.display = "none";
    document.title = "";
    try { sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    window.location.replace(exitUrl);
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-quick-exit]");
    if (target) { leave(event); }
  });

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();
