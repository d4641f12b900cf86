// The counsellor's console: the queue and several chats at once. Protocol: docs/chat.md.
// Message text is only ever inserted with textContent, never as HTML.
(function () {
  "use strict";
  var uuid = window.BakenChat.uuid, format = window.BakenChat.format;
  var root = document.getElementById("console");
  if (!root) { return; }
  var t = document.getElementById("console-strings").dataset;
  var $ = function (id) { return document.getElementById(id); };
  var canned = Array.prototype.map.call(document.querySelectorAll("#canned-answers li"), function (li) {
    return { language: li.dataset.language, title: li.dataset.title, text: li.textContent };
  });
  var topics = Array.prototype.map.call(document.querySelectorAll("#topic-choices li"), function (li) {
    return { code: li.dataset.code, label: li.textContent };
  });
  var chats = {}, colleagues = [], me = null, socket = null, retry = 0, queueItems = [];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      // The server counts console actions as activity: the session warning starts over.
      if (frame.type !== "ping" && frame.type !== "hello") {
        document.body.dispatchEvent(new CustomEvent("baken:activity"));
      }
    }
  }

  // --- the queue -----------------------------------------------------------------------------
  function renderQueue(snapshot) {
    queueItems = snapshot.waiting || [];
    $("queue-count").textContent = snapshot.waiting_count || 0;
    $("messages-waiting").textContent = snapshot.messages_waiting || 0;
    var list = $("queue-list");
    list.textContent = "";
    if (!queueItems.length) { list.append(el("li", "baken-muted", t.noOne)); }
    queueItems.forEach(function (item) {
      var li = el("li", "baken-console__waiting");
      li.dataset.conversation = item.conversation;
      var label = el("span", "", (item.nickname || item.short_id) + " · " + item.language + " · ");
      var wait = el("span", "baken-meta", format(t.waitingFor, { minutes: Math.floor(item.waiting_seconds / 60) }));
      wait.dataset.since = String(Date.now() - item.waiting_seconds * 1000);
      var accept = el("button", "utrecht-button utrecht-button--primary-action", t.accept);
      accept.type = "button";
      accept.addEventListener("click", function () { send({ type: "chat.accept", conversation: item.conversation }); });
      li.append(label, wait, accept);
      list.append(li);
    });
  }
  window.setInterval(function () {
    document.querySelectorAll("#queue-list [data-since]").forEach(function (node) {
      node.textContent = format(t.waitingFor, { minutes: Math.floor((Date.now() - Number(node.dataset.since)) / 60000) });
    });
  }, 15000);

  // --- one chat ------------------------------------------------------------------------------
  function pane(summary) {
    var chat = chats[summary.conversation];
    if (chat) { chat.summary = summary; updateHeader(chat); return chat; }
    var id = summary.conversation;
    var section = el("section", "baken-card baken-console__pane");
    section.id = "chat-" + id;
    section.dataset.conversation = id;
    var heading = el("h3", "utrecht-heading-3");
    var badges = el("p", "baken-meta");
    var log = el("ol", "baken-chat__log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("lang", summary.language);
    var typing = el("p", "baken-chat__typing");
    typing.setAttribute("aria-live", "polite");

    var form = el("form", "baken-chat__form");
    var inputId = "message-" + id;
    var label = el("label", "utrecht-form-label", t.messageLabel);
    label.htmlFor = inputId;
    var input = el("textarea", "utrecht-textarea");
    input.id = inputId; input.rows = 3;
    input.setAttribute("lang", summary.language);
    var cannedLabel = el("label", "utrecht-form-label", t.canned);
    cannedLabel.htmlFor = "canned-" + id;
    var cannedSelect = el("select", "utrecht-select utrecht-select--html-select");
    cannedSelect.id = "canned-" + id;
    cannedSelect.append(new Option(t.cannedNone, ""));
    canned.filter(function (c) { return c.language === summary.language; }).forEach(function (c) {
      cannedSelect.append(new Option(c.title, c.text));
    });
    cannedSelect.addEventListener("change", function () {
      if (cannedSelect.value) { input.value = cannedSelect.value; input.focus(); }
      cannedSelect.value = "";
    });
    var sendButton = el("button", "utrecht-button utrecht-button--primary-action", t.send);
    sendButton.type = "submit";
    form.append(cannedLabel, cannedSelect, label, input, sendButton);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) { return; }
      send({ type: "message.send", conversation: id, client_id: uuid(), text: text });
      send({ type: "typing", conversation: id, active: false });
      input.value = "";
    });
    var lastTyping = 0;
    input.addEventListener("input", function () {
      if (Date.now() - lastTyping > 3000) { lastTyping = Date.now(); send({ type: "typing", conversation: id, active: true }); }
    });

    var noteForm = el("form", "baken-chat__form");
    var noteLabel = el("label", "utrecht-form-label", t.noteLabel);
    noteLabel.htmlFor = "note-" + id;
    var note = el("textarea", "utrecht-textarea");
    note.id = "note-" + id; note.rows = 2;
    var noteButton = el("button", "utrecht-button utrecht-button--secondary-action", t.note);
    noteButton.type = "submit";
    noteForm.append(noteLabel, note, noteButton);
    noteForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!note.value.trim()) { return; }
      send({ type: "note.add", conversation: id, client_id: uuid(), text: note.value.trim() });
      note.value = "";
    });

    var actions = el("div", "baken-actions");
    function action(text, frame, confirmText) {
      var button = el("button", "utrecht-button utrecht-button--secondary-action", text);
      button.type = "button";
      button.addEventListener("click", function () {
        var extra = {};
        if (confirmText) {
          var reason = window.prompt(confirmText);
          if (reason === null) { return; }
          extra.reason = reason;
        }
        send(Object.assign({ type: frame, conversation: id }, extra));
      });
      actions.append(button);
      return button;
    }
    action(t.consent, "consent.request");
    action(t.crisis, "chat.crisis");
    var signalLink = el("a", "utrecht-link", t.toSignal);
    signalLink.href = root.dataset.signalUrlTemplate.replace("00000000-0000-0000-0000-000000000000", id);
    actions.append(signalLink);
    action(t.end, "chat.end");
    action(t.block, "chat.block", t.blockReason);

    var transfer = el("div", "baken-actions");
    var transferLabel = el("label", "utrecht-form-label", t.transfer);
    transferLabel.htmlFor = "transfer-" + id;
    var transferSelect = el("select", "utrecht-select utrecht-select--html-select");
    transferSelect.id = "transfer-" + id;
    colleagues.forEach(function (c) { transferSelect.append(new Option(c.name, c.id)); });
    var transferButton = el("button", "utrecht-button utrecht-button--subtle", t.transferButton);
    transferButton.type = "button";
    transferButton.addEventListener("click", function () {
      if (transferSelect.value) { send({ type: "chat.transfer", conversation: id, to: Number(transferSelect.value) }); }
    });
    transfer.append(transferLabel, transferSelect, transferButton);

    var topicBox = el("details", "baken-console__topics");
    topicBox.append(el("summary", "", t.topics));
    var topicFieldset = el("div", "baken-stack");
    topics.forEach(function (topic) {
      var wrap = el("div", "utrecht-form-field utrecht-form-field--checkbox");
      var box = el("input", "utrecht-checkbox utrecht-checkbox--html-input");
      box.type = "checkbox"; box.value = topic.code; box.id = "topic-" + id + "-" + topic.code;
      box.checked = (summary.topics || []).indexOf(topic.code) >= 0;
      var boxLabel = el("label", "utrecht-form-label utrecht-form-label--checkbox", topic.label);
      boxLabel.htmlFor = box.id;
      wrap.append(box, boxLabel);
      topicFieldset.append(wrap);
    });
    var saveTopics = el("button", "utrecht-button utrecht-button--subtle", t.saveTopics);
    saveTopics.type = "button";
    saveTopics.addEventListener("click", function () {
      var chosen = Array.prototype.filter.call(topicFieldset.querySelectorAll("input"), function (b) { return b.checked; })
        .map(function (b) { return b.value; });
      send({ type: "chat.tag", conversation: id, topics: chosen });
    });
    topicBox.append(topicFieldset, saveTopics);

    section.append(heading, badges, log, typing, form, noteForm, actions, transfer, topicBox);
    $("chat-panes").prepend(section);
    $("no-chats").hidden = true;
    chat = { summary: summary, seen: {}, lastSeq: 0, section: section, heading: heading, badges: badges,
             log: log, typing: typing, form: form, noteForm: noteForm, actions: actions, signalLink: signalLink };
    chats[id] = chat;
    updateHeader(chat);
    return chat;
  }

  function updateHeader(chat) {
    var s = chat.summary;
    chat.heading.textContent = (s.nickname || s.short_id) + " · " + s.language;
    var bits = [];
    if (s.crisis) { bits.push(t.crisisBadge); }
    if (s.consent_given) { bits.push(t.consentGiven); }
    if (s.signal) { bits.push(s.signal); }
    if (s.status === "ended" || s.status === "blocked") { bits.push(t.ended); }
    chat.badges.textContent = bits.join(" · ");
    chat.section.classList.toggle("baken-console__pane--crisis", !!s.crisis);
    var closed = s.status === "ended" || s.status === "blocked";
    chat.form.hidden = closed;
    chat.signalLink.hidden = !s.consent_given || !!s.signal;
  }

  // Consoles see every message, so seq has no gaps: lastSeq is the highest seq up to which this
  // console has everything, and a gap that does not fill itself is asked for again (hello).
  var gapTimer = null;
  function advance(chat) {
    while (chat.seen[chat.lastSeq + 1]) { chat.lastSeq += 1; }
    var gap = Object.keys(chat.seen).some(function (seq) { return Number(seq) > chat.lastSeq; });
    if (gap && !gapTimer) {
      gapTimer = window.setTimeout(function () {
        gapTimer = null;
        var lastSeq = {};
        Object.keys(chats).forEach(function (id) { lastSeq[id] = chats[id].lastSeq; });
        send({ type: "hello", last_seq: lastSeq });
      }, 500);
    }
  }

  function renderMessage(event) {
    var chat = chats[event.conversation];
    if (!chat || chat.seen[event.seq]) { return; }
    chat.seen[event.seq] = true;
    advance(chat);
    var item = el("li", "baken-chat__message baken-chat__message--" + event.sender + (event.kind === "note" ? " baken-chat__message--note" : ""));
    var who = event.sender === "visitor" ? t.visitor : event.sender === "counsellor" ? (event.author || "") : "";
    if (event.kind === "note") { who += " (" + t.noteTag + ")"; }
    item.append(el("span", "baken-chat__who", who), el("span", "baken-chat__text", event.text),
      el("span", "baken-meta", new Date(event.sent_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
    chat.log.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function adopt(summary) {
    var chat = pane(summary);
    (summary.messages || []).forEach(renderMessage);
    return chat;
  }

  function release(id) {
    var chat = chats[id];
    if (chat) { chat.section.remove(); delete chats[id]; }
    $("no-chats").hidden = Object.keys(chats).length > 0;
  }

  // --- the connection ------------------------------------------------------------------------
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/console/");
    socket.onopen = function () {
      retry = 0;
      var lastSeq = {};
      Object.keys(chats).forEach(function (id) { lastSeq[id] = chats[id].lastSeq; });
      send({ type: "hello", last_seq: lastSeq });
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "welcome") {
        me = data.me; colleagues = data.colleagues || [];
        renderQueue(data.queue);
        data.conversations.forEach(adopt);
        $("console-status").textContent = t.connected;
      } else if (data.type === "queue") {
        renderQueue(data);
      } else if (data.type === "assigned") {
        adopt(data.conversation).section.querySelector("textarea").focus();
      } else if (data.type === "released") {
        release(data.conversation);
      } else if (data.type === "message") {
        renderMessage(data);
      } else if (data.type === "status") {
        var chat = chats[data.conversation];
        if (chat) {
          Object.assign(chat.summary, { status: data.status, crisis: data.crisis, consent_given: data.consent_given, signal: data.signal });
          updateHeader(chat);
        }
      } else if (data.type === "typing") {
        var typingChat = chats[data.conversation];
        if (typingChat) { typingChat.typing.textContent = data.active ? t.typing : ""; }
      } else if (data.type === "error") {
        $("console-status").textContent = data.message;
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4403) { return; }
      // 4401: the staff session ended (logout, idle, time limit): reload into the login page.
      if (event.code === 4401) { window.location.reload(); return; }
      $("console-status").textContent = t.reconnecting;
      retry = Math.min(retry + 1, 6);
      window.setTimeout(connect, Math.min(500 * Math.pow(2, retry - 1), 8000));
    };
  }
  connect();
})();
