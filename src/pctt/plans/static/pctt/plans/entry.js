// Activity entry that survives a lost connection: every entry goes into a queue in
// localStorage first (with its own id), then the queue is sent; an entry leaves the queue only
// when the server has it (201 or 200 for a replay). Entries the server refuses (400) stay,
// marked with the reasons, so nothing typed is lost.
(function () {
  "use strict";
  var KEY = "pctt.plans.queue";
  var script = document.currentScript;
  var text = script.dataset;
  var form = document.getElementById("entry");
  if (!form) { return; }
  var list = document.getElementById("queue");
  var net = document.getElementById("net");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); render(queue); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function render(queue) {
    list.innerHTML = "";
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.dataset.clientId = item.entry.client_id;
      li.textContent = item.entry.held_on + " · " + item.label;
      if (item.errors) {
        var p = document.createElement("p");
        p.className = "error";
        p.textContent = text.rejected + " " + item.errors;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }
  function status(message, offline) {
    net.textContent = message;
    net.className = offline ? "offline" : "";
  }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }
  function entryFromForm() {
    var data = new FormData(form);
    var entry = { client_id: uuid() };
    ["kind", "held_on", "form", "place", "description"].forEach(function (n) { entry[n] = data.get(n) || ""; });
    entry.organisation = parseInt(data.get("organisation"), 10);
    ["participants", "women", "ethnic_minority", "disabled", "elderly", "youth", "copies"].forEach(function (n) {
      entry[n] = parseInt(data.get(n) || "0", 10) || 0;
    });
    entry.groups = data.getAll("groups").map(function (v) { return parseInt(v, 10); });
    entry.themes = data.getAll("themes");
    return entry;
  }
  function flush() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    var queue = load().filter(function (item) { return !item.errors; });
    if (!queue.length) { return Promise.resolve(); }
    sending = true;
    var item = queue[0];
    return fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(item.entry)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        var current = load();
        var index = current.findIndex(function (i) { return i.entry.client_id === item.entry.client_id; });
        if (response.status === 201 || response.status === 200) {
          current.splice(index, 1);
          status(response.status === 201 ? text.saved : text.duplicate, false);
        } else if (response.status === 400 || response.status === 403 || response.status === 413) {
          var errors = body.errors || {};
          current[index].errors = Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" ");
        } else {
          throw new Error("server " + response.status);
        }
        store(current);
        sending = false;
        return flush();
      });
    }).catch(function () {
      sending = false;
      status(text.queued, true);
    });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var kind = form.querySelector("[name=kind]");
    var queue = load();
    queue.push({ entry: entryFromForm(), label: kind.options[kind.selectedIndex].text });
    store(queue);
    status(text.queued, !navigator.onLine);
    form.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = false; });
    flush();
  });
  window.addEventListener("online", function () { status(text.online, false); flush(); });
  window.addEventListener("offline", function () { status(text.offline, true); });
  render(load());
  if (!navigator.onLine) { status(text.offline, true); }
  flush();
})();
