// Search-as-you-type for the ward step. Without JavaScript the Search button reloads the
// page with the results, so a slow phone works either way; with it, only a few rows travel.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }
  ready(function () {
    var input = document.getElementById("ob-q");
    var box = document.getElementById("ob-hits");
    if (!input || !box || !window.fetch) { return; }
    var timer = null;
    var asked = 0;
    function row(hit) {
      var label = document.createElement("label");
      label.className = "ob-hit";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "ward";
      radio.value = String(hit.id);
      label.appendChild(radio);
      // Names come from the reference file: text nodes, never markup.
      label.appendChild(document.createTextNode(" " + hit.name + " — " + hit.province + " (" + hit.code + ")"));
      return label;
    }
    function show(results, number) {
      if (number !== asked) { return; } // an older answer arriving late
      var checked = box.querySelector("input:checked");
      box.textContent = "";
      if (checked) { box.appendChild(checked.parentNode); }
      results.forEach(function (hit) {
        if (!checked || checked.value !== String(hit.id)) { box.appendChild(row(hit)); }
      });
      if (!results.length && !checked) {
        var p = document.createElement("p");
        p.textContent = box.dataset.empty;
        box.appendChild(p);
      }
      if (results.length === 1 && !checked) { box.querySelector("input").checked = true; }
      box.dataset.count = String(results.length);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        asked += 1;
        var number = asked;
        if (!q) { show([], number); return; }
        fetch(input.dataset.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) { show(data.results || [], number); })
          .catch(function () {});
      }, 250);
    });
  });
})();
