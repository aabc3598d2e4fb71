// Draws the ward's residential groups and hazard zones with Leaflet, without tile layers:
// many ward offices have no internet, and the outlines are what matters.
(function () {
  "use strict";
  // Wagtail puts extra_js in the head: read our script tag now, draw once the page exists.
  var script = document.currentScript;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  function draw() {
    var el = document.getElementById("areas-map");
    var status = document.getElementById("areas-map-status");
    var map = L.map(el, { attributionControl: false });
    var styles = {
      group: { color: "#0b4f8a", weight: 2, fillColor: "#e3ecf5", fillOpacity: 0.6 },
      flood: { color: "#0d47a1", weight: 1, fillColor: "#1e88e5", fillOpacity: 0.35 },
      riverside: { color: "#0d47a1", weight: 1, fillColor: "#1e88e5", fillOpacity: 0.35 },
      landslide: { color: "#4e342e", weight: 1, fillColor: "#8d6e63", fillOpacity: 0.4 },
      coastal: { color: "#00695c", weight: 1, fillColor: "#26a69a", fillOpacity: 0.35 }
    };
    function esc(value) {
      // Names come from imported files: never let them become markup.
      return String(value).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }
    function label(p) {
      var text = esc(p.name);
      if (p.kind === "group") {
        text += "<br>" + (p.households || 0) + " " + script.dataset.households +
          ", " + (p.population || 0) + " " + script.dataset.people +
          ", " + (p.vulnerable || 0) + " " + script.dataset.vulnerable;
      } else {
        text += "<br>" + esc(p.hazard_label);
      }
      return text;
    }
    fetch(el.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) {
            return styles[f.properties.kind === "group" ? "group" : f.properties.hazard];
          },
          onEachFeature: function (f, l) {
            l.bindPopup(label(f.properties));
            if (f.properties.kind === "group") {
              l.bindTooltip(esc(f.properties.name), { permanent: true, direction: "center", className: "pctt-label" });
            }
          }
        }).addTo(map);
        if (data.features.length) { map.fitBounds(layer.getBounds()); } else { map.setView([16, 106], 5); }
        el.dataset.features = String(data.features.length);
        status.textContent = data.features.length + " " + script.dataset.count;
      });
  }
})();
