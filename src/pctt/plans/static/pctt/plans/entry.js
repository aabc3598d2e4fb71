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
    entry.materials = data.getAll("materials").map(function (v) { return parseInt(v, 10); });
    return entry;
  }

  // Photos are too big for localStorage: they wait in IndexedDB, each with the entry's id,
  // and are sent one by one once the server has the entry (the server re-encodes them).
  var PHOTO_SIDE = 1600;
  function photoStore(mode, work) {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { resolve(null); return; }
      var open = indexedDB.open("pctt.plans", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("photos", { keyPath: "photo_id" }); };
      open.onerror = function () { reject(open.error); };
      open.onsuccess = function () {
        var tx = open.result.transaction("photos", mode);
        var result = work(tx.objectStore("photos"));
        tx.oncomplete = function () { open.result.close(); resolve(result && result.result); };
        tx.onerror = function () { open.result.close(); reject(tx.error); };
      };
    });
  }
  function shrink(file) {
    if (!window.createImageBitmap) { return Promise.resolve(file); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }
  function keepPhotos(clientId, files) {
    return Promise.all(Array.prototype.map.call(files, shrink)).then(function (blobs) {
      return photoStore("readwrite", function (store) {
        blobs.forEach(function (blob) { store.put({ photo_id: uuid(), client_id: clientId, blob: blob }); });
      });
    });
  }
  function waitingPhotos() {
    return photoStore("readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return rows || [];
    });
  }
  function sendPhotos() {
    var queued = load().map(function (item) { return item.entry.client_id; });
    return waitingPhotos().then(function (rows) {
      rows = rows.filter(function (row) { return queued.indexOf(row.client_id) < 0; });
      return rows.reduce(function (chain, row) {
        return chain.then(function () {
          return fetch(text.photoApi.replace("00000000-0000-0000-0000-000000000000", row.client_id), {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": row.blob.type || "image/jpeg", "X-CSRFToken": csrf(), "X-Photo-Id": row.photo_id },
            body: row.blob
          }).then(function (response) {
            if (response.status === 404 || response.status >= 500) { return; }  // later
            if (response.status >= 400) {
              return response.json().catch(function () { return {}; }).then(function (body) {
                var errors = body.errors || {};
                status(text.rejected + " " + Object.keys(errors).map(function (k) { return errors[k].join(" "); }).join(" "), false);
                return photoStore("readwrite", function (store) { store.delete(row.photo_id); });
              });
            }
            return photoStore("readwrite", function (store) { store.delete(row.photo_id); });
          });
        });
      }, Promise.resolve());
    }).then(renderPhotos).catch(function () { renderPhotos(); });
  }
  function renderPhotos() {
    return waitingPhotos().then(function (rows) {
      var note = document.getElementById("photos-waiting");
      if (note) { note.textContent = rows.length ? rows.length + " " + text.photos : ""; }
    }).catch(function () {});
  }
  function flush() {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    var queue = load().filter(function (item) { return !item.errors; });
    if (!queue.length) { return sendPhotos(); }
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
    var entry = entryFromForm();
    var picker = form.querySelector("[name=photos]");
    var files = picker && picker.files ? Array.prototype.slice.call(picker.files, 0, 6) : [];
    // The photos are stored before the entry is queued, so the entry is never sent without them.
    keepPhotos(entry.client_id, files).catch(function () {}).then(function () {
      var queue = load();
      queue.push({ entry: entry, label: kind.options[kind.selectedIndex].text });
      store(queue);
      status(text.queued, !navigator.onLine);
      form.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = false; });
      if (picker) { picker.value = ""; }
      renderPhotos();
      flush();
    });
  });
  window.addEventListener("online", function () { status(text.online, false); flush(); });
  window.addEventListener("offline", function () { status(text.offline, true); });
  render(load());
  if (!navigator.onLine) { status(text.offline, true); }
  flush();
})();
