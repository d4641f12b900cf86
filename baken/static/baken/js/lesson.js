// Scenario lessons: the class screen and the pupils' phones listen on the lesson's websocket and
// fetch their server-rendered part again (through htmx) when the lesson changes. Without this
// script the pages still work: the forms post normally and the pupil page refreshes itself.
(function () {
  "use strict";
  var part = document.querySelector("[data-lesson-socket]");
  if (!part || !("WebSocket" in window)) return;
  var path = part.getAttribute("data-lesson-socket");
  var listen = part.getAttribute("data-lesson-listen");
  var delay = 1000;

  function changed() {
    document.body.dispatchEvent(new CustomEvent("lesson-changed"));
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      if (delay > 1000) changed(); // we may have missed something while away
      delay = 1000;
      part.setAttribute("data-lesson-connected", "true");
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type !== "changed") return;
      if (listen === "all" || message.change === "state") changed();
    });
    socket.addEventListener("close", function (event) {
      part.removeAttribute("data-lesson-connected");
      if (event.code === 4404 || event.code === 4429) return; // no such lesson, or too many wrong codes
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }
  connect();
})();
