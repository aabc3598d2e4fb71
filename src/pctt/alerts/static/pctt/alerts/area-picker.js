// Choosing a warning's areas on a map that needs no internet: the ward's groups and zones are
// drawn from our own GeoJSON (no tiles); clicking one ticks its checkbox; an area can be drawn
// by clicking its corners. Without JavaScript the checkboxes still work.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }
  ready(function () {
    var el = document.getElementById("alert-map");
    if (!el || !window.L) { return; }
    var map = L.map(el, { attributionControl: false });
    var drawnInput = document.getElementById("id_drawn_area");
    var layersByCode = {};
    function checkbox(kind, name) {
      var boxes = document.querySelectorAll("input[name='" + kind + "']");
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].parentNode.textContent.trim() === name) { return boxes[i]; }
      }
      return null;
    }
    function styleFor(layer, on) {
      layer.setStyle(on ? { color: "#b71c1c", weight: 3, fillColor: "#ef9a9a", fillOpacity: 0.6 }
                        : { color: "#0b4f8a", weight: 1, fillColor: "#e3ecf5", fillOpacity: 0.4 });
    }
    fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var all = L.geoJSON(data, {
        onEachFeature: function (f, layer) {
          var kind = f.properties.kind === "group" ? "areas" : "zones";
          var box = checkbox(kind, f.properties.name);
          layersByCode[f.properties.code] = layer;
          styleFor(layer, box && box.checked);
          layer.bindTooltip(f.properties.name);
          layer.on("click", function () {
            if (drawing) { return; }
            if (box) { box.checked = !box.checked; styleFor(layer, box.checked); }
          });
          if (box) { box.addEventListener("change", function () { styleFor(layer, box.checked); }); }
        }
      }).addTo(map);
      if (data.features.length) { map.fitBounds(all.getBounds()); } else { map.setView([16, 106], 5); }
      el.dataset.features = String(data.features.length);
      showDrawn();
    });
    var drawing = false, points = [], sketch = null, drawnLayer = null;
    function showDrawn() {
      if (drawnLayer) { map.removeLayer(drawnLayer); drawnLayer = null; }
      if (drawnInput && drawnInput.value) {
        try { drawnLayer = L.geoJSON(JSON.parse(drawnInput.value), { style: { color: "#6a1b9a", weight: 3 } }).addTo(map); } catch (e) { /* invalid text: the server says so */ }
      }
    }
    var start = document.getElementById("draw-start"), finish = document.getElementById("draw-finish"), clear = document.getElementById("draw-clear");
    start.addEventListener("click", function () { drawing = true; points = []; finish.hidden = false; el.style.cursor = "crosshair"; });
    map.on("click", function (e) {
      if (!drawing) { return; }
      points.push([e.latlng.lng, e.latlng.lat]);
      if (sketch) { map.removeLayer(sketch); }
      sketch = L.polyline(points.map(function (p) { return [p[1], p[0]]; }), { color: "#6a1b9a" }).addTo(map);
    });
    finish.addEventListener("click", function () {
      drawing = false; finish.hidden = true; el.style.cursor = "";
      if (sketch) { map.removeLayer(sketch); sketch = null; }
      if (points.length >= 3) {
        var ring = points.concat([points[0]]);
        drawnInput.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      }
      showDrawn();
    });
    clear.addEventListener("click", function () { drawnInput.value = ""; showDrawn(); });
  });
})();
