// The visitor's side of the anonymous chat. Protocol: docs/chat.md.
//
// - The token that identifies this chat lives in sessionStorage: only this browser tab has it,
//   it survives a reload, and the quick exit (or closing the tab) forgets it.
// - Messages are shown by their sequence number (seq); anything seen twice is dropped, so the
//   server may send again whatever a lost connection may have swallowed (at-least-once).
// - A message typed while the connection is down waits in an outbox (also in sessionStorage)
//   and is sent again with the same client_id; the server stores it once.
// - Message text is only ever inserted with textContent: never as HTML.
(function () {
  "use strict";
  var uuid = window.BakenChat.uuid, format = window.BakenChat.format;
  var root = document.getElementById("chat");
  if (!root) { return; }
  var strings = document.getElementById("chat-strings").dataset;
  var $ = function (id) { return document.getElementById(id); };
  var TOKEN = "baken.chat.token", OUTBOX = "baken.chat.outbox";
  var store = window.sessionStorage;
  var socket = null, seen = {}, lastSeq = 0, retry = 0, ended = false, typingTimer = null;
  var lastTypingSent = 0;

  function outbox() { try { return JSON.parse(store.getItem(OUTBOX) || "[]"); } catch (e) { return []; } }
  function saveOutbox(items) { store.setItem(OUTBOX, JSON.stringify(items)); }
  function showError(text) { var el = $("chat-error"); el.textContent = text || ""; el.hidden = !text; }
  function setStatus(text) { $("chat-status").textContent = text; }

  function bubble(sender, text, meta, key) {
    var item = document.createElement("li");
    item.className = "baken-chat__message baken-chat__message--" + sender;
    if (key) { item.dataset.key = key; }
    var who = document.createElement("span");
    who.className = "baken-chat__who";
    who.textContent = sender === "visitor" ? strings.you : sender === "counsellor" ? (meta.author || strings.counsellor) : "";
    var body = document.createElement("span");
    body.className = "baken-chat__text";
    body.textContent = text;
    var when = document.createElement("span");
    when.className = "baken-meta";
    when.textContent = meta.time || "";
    item.append(who, body, when);
    return item;
  }

  // lastSeq is the highest seq up to which this tab has everything: each message names the one
  // before it (prev_seq), so a gap is told apart from a counsellor's hidden note. A gap that
  // does not fill itself within a moment is asked for again with a fresh hello.
  var linked = { 0: true }, waitingOn = {}, gapTimer = null;
  function link(seq, prev) {
    if (!linked[prev]) { waitingOn[prev] = seq; checkGap(); return; }
    while (seq !== undefined) {
      linked[seq] = true;
      lastSeq = Math.max(lastSeq, seq);
      var next = waitingOn[seq];
      delete waitingOn[seq];
      seq = next;
    }
  }
  function checkGap() {
    if (gapTimer) { return; }
    gapTimer = window.setTimeout(function () {
      gapTimer = null;
      if (Object.keys(waitingOn).length) {
        send({ type: "hello", token: store.getItem(TOKEN), last_seq: lastSeq });
      }
    }, 500);
  }

  function render(message) {
    if (seen[message.seq]) { return; }
    seen[message.seq] = true;
    link(message.seq, message.prev_seq || 0);
    if (message.client_id) {
      var pending = document.querySelector('[data-key="' + message.client_id + '"]');
      if (pending) { pending.remove(); }
      saveOutbox(outbox().filter(function (m) { return m.client_id !== message.client_id; }));
    }
    var time = new Date(message.sent_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    $("chat-log").append(bubble(message.sender, message.text, { author: message.author, time: time }, "s" + message.seq));
    $("chat-log").lastChild.scrollIntoView({ block: "nearest" });
  }

  function renderPending(item) {
    if (document.querySelector('[data-key="' + item.client_id + '"]')) { return; }
    $("chat-log").append(bubble("visitor", item.text, { time: strings.sending }, item.client_id));
  }

  function applyStatus(state) {
    if (state.status === "waiting") {
      setStatus(format(strings.waiting, { position: state.position || 1, minutes: state.expected_wait_minutes || 1 }));
    } else if (state.status === "active") {
      setStatus(format(strings.active, { name: state.counsellor || strings.counsellor }));
    } else {
      finish();
    }
  }

  function finish() {
    ended = true;
    setStatus(strings.ended);
    $("chat-form").hidden = true;
    $("chat-consent").hidden = true;
    $("chat-ended").hidden = false;
    $("chat-typing").textContent = "";
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function flushOutbox() {
    outbox().forEach(function (item) {
      renderPending(item);
      send({ type: "message.send", client_id: item.client_id, text: item.text });
    });
  }

  function connect() {
    var token = store.getItem(TOKEN);
    if (!token || ended) { return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/");
    socket.onopen = function () {
      retry = 0;
      showError("");
      send({ type: "hello", token: token, last_seq: lastSeq });
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "welcome") {
        data.messages.forEach(render);
        applyStatus(data.conversation);
        if (data.conversation.consent_requested && !data.conversation.consent_given && !ended) {
          $("chat-consent").hidden = false;
        }
        flushOutbox();
      } else if (data.type === "message") {
        render(data);
      } else if (data.type === "status") {
        applyStatus(data);
      } else if (data.type === "queue.position") {
        applyStatus({ status: "waiting", position: data.position, expected_wait_minutes: data.expected_wait_minutes });
      } else if (data.type === "typing") {
        $("chat-typing").textContent = data.active ? strings.typing : "";
      } else if (data.type === "consent.request") {
        $("chat-consent").hidden = false;
      } else if (data.type === "error") {
        if (data.code === "unknown") { forget(); return; }
        showError(data.message);
      }
    };
    socket.onclose = function () {
      socket = null;
      if (ended || !store.getItem(TOKEN)) { return; }
      showError(strings.reconnecting);
      retry = Math.min(retry + 1, 6);
      window.setTimeout(connect, Math.min(500 * Math.pow(2, retry - 1), 8000));
    };
  }

  function showConversation() {
    $("chat-start").hidden = true;
    var closed = $("chat-closed"); if (closed) { closed.hidden = true; }
    $("chat-conversation").hidden = false;
    $("chat-input").focus();
  }

  function forget() {
    store.removeItem(TOKEN);
    store.removeItem(OUTBOX);
    ended = true;
    if (socket) { socket.close(); }
  }

  // --- start ---------------------------------------------------------------------------------
  $("chat-start-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var error = $("chat-start-error");
    error.hidden = true;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) { error.textContent = result.body.message; error.hidden = false; return; }
      store.setItem(TOKEN, result.body.token);
      store.setItem(OUTBOX, "[]");
      ended = false; lastSeq = 0; seen = {}; linked = { 0: true }; waitingOn = {};
      showConversation();
      connect();
    }).catch(function () { error.textContent = strings.reconnecting; error.hidden = false; });
  });

  // --- writing -------------------------------------------------------------------------------
  $("chat-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("chat-input");
    var text = input.value.trim();
    if (!text) { return; }
    if (text.length > Number(root.dataset.maxChars)) { showError(strings.tooLong); return; }
    var item = { client_id: uuid(), text: text };
    saveOutbox(outbox().concat([item]));
    renderPending(item);
    send({ type: "message.send", client_id: item.client_id, text: text });
    send({ type: "typing", active: false });
    input.value = "";
    input.focus();
  });
  $("chat-input").addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("chat-form").requestSubmit();
    }
  });
  $("chat-input").addEventListener("input", function () {
    var now = Date.now();
    if (now - lastTypingSent > 3000) { lastTypingSent = now; send({ type: "typing", active: true }); }
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { lastTypingSent = 0; send({ type: "typing", active: false }); }, 4000);
  });

  // --- consent, ending, deleting -------------------------------------------------------------
  $("chat-consent").addEventListener("click", function (event) {
    var button = event.target.closest("[data-consent]");
    if (!button) { return; }
    send({ type: "consent.answer", granted: button.dataset.consent === "yes" });
    $("chat-consent").hidden = true;
  });
  $("chat-end").addEventListener("click", function () {
    if (window.confirm(strings.confirmEnd)) { send({ type: "chat.end" }); }
  });
  $("chat-delete").addEventListener("click", function () {
    if (!window.confirm(strings.confirmDelete)) { return; }
    var body = new FormData();
    body.append("token", store.getItem(TOKEN) || "");
    var csrf = document.querySelector("#chat-start-form [name=csrfmiddlewaretoken]");
    body.append("csrfmiddlewaretoken", csrf ? csrf.value : "");
    fetch(root.dataset.deleteUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function () {
        forget();
        $("chat-conversation").hidden = true;
        $("chat-log").textContent = "";
        $("chat-deleted").hidden = false;
      });
  });
  $("chat-new").addEventListener("click", function () {
    forget();
    window.location.replace(window.location.pathname);
  });

  if (store.getItem(TOKEN)) {
    showConversation();
    connect();
  }
})();
