// Quick exit ("Snel weg") and history-free navigation on the public site.
//
// Leaving: blank the page at once, forget what this tab kept (sessionStorage: a chat token),
// then location.replace() to a neutral site, so this page is not in the history.
//
// So that Back does not lead to an *earlier* Baken page either, navigation inside the public
// site replaces the current history entry instead of adding one: links use location.replace(),
// and forms are sent with fetch() and their answer is shown in place of this page. A whole
// visit therefore occupies one history entry, which the quick exit replaces. Without
// JavaScript the site works normally and the "Hide your visit" page explains the difference.
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

  function sameSite(url) {
    return url.origin === window.location.origin && url.pathname.indexOf("/werk/") !== 0 &&
      url.pathname.indexOf("/beheer/") !== 0;
  }

  document.addEventListener("click", function (event) {
    var exit = event.target.closest && event.target.closest("[data-quick-exit]");
    if (exit) { leave(event); return; }
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) { return; }
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, window.location.href);
    if (!sameSite(url)) { return; }
    if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) { return; }
    event.preventDefault();
    window.location.replace(url.href);
  });

  function showInPlace(response) {
    return response.text().then(function (html) {
      if (response.redirected) { window.location.replace(response.url); return; }
      window.history.replaceState(null, "", response.url);
      document.open();
      document.write(html);
      document.close();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    var action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    if (!sameSite(action) || form.target) { return; }
    var data = new FormData(form, event.submitter || undefined);
    var method = (form.getAttribute("method") || "get").toLowerCase();
    event.preventDefault();
    if (method === "get") {
      action.search = new URLSearchParams(data).toString();
      window.location.replace(action.href);
      return;
    }
    fetch(action.href, { method: "POST", body: data, credentials: "same-origin" })
      .then(showInPlace)
      .catch(function () { form.submit(); });
  });

  // On a touch screen (no Shift key): three taps with two or more fingers within 1.5 seconds.
  // Two fingers, so that scrolling and ordinary taps never leave by accident.
  var taps = [];
  document.addEventListener("touchstart", function (event) {
    if (event.touches.length < 2) { return; }
    var now = Date.now();
    taps = taps.filter(function (t) { return now - t < 1500; });
    taps.push(now);
    if (taps.length >= 3) { leave(); }
  }, { passive: true });

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();
