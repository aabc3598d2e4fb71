// Draw one polygon on a Leaflet map without tiles: click to add corners. The outline is
// written into the form's geometry field as GeoJSON; without JavaScript that field can be
// filled by hand. Backdrop: the ward's and province's borders and the areas already saved.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  ready(function () {
    var el = document.getElementById("draw-map");
    var field = document.getElementById("id_geometry");
    if (!el || !field || !window.L) { return; }
    document.getElementById("wrap-geometry").classList.add("ob-draw-geometry-hidden");
    document.documentElement.classList.add("js");
    var status = document.getElementById("draw-status");
    // No animations: slow phones, and every click lands where the map is drawn.
    var map = L.map(el, { attributionControl: false, doubleClickZoom: false, zoomAnimation: false, fadeAnimation: false });
    map.setView([16, 106], 5);
    var corners = [];
    var shape = null;
    var fitted = false;
    function fit(layer) {
      if (!fitted && layer.getLayers().length) { map.fitBounds(layer.getBounds()); fitted = true; }
    }
    function load(url, style, labels) {
      return fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var layer = L.geoJSON(data, {
            style: style,
            interactive: false,
            onEachFeature: function (f, l) {
              if (labels && f.properties.name) {
                l.bindTooltip(esc(f.properties.name), { permanent: true, direction: "center", className: "pctt-label" });
              }
            }
          }).addTo(map);
          return layer;
        });
    }
    // Saved areas first (closest view), then the ward, then the province.
    load(el.dataset.areas, { color: "#0b4f8a", weight: 1, fillOpacity: 0.15 }, true).then(function (areas) {
      fit(areas);
      return load(el.dataset.outline, { color: "#555", weight: 2, dashArray: "4 4", fill: false }, false);
    }).then(function (outlines) {
      var layers = outlines.getLayers();
      // The ward's own outline when it has one, else its province.
      if (!fitted && layers.length) { map.fitBounds(layers[0].getBounds()); fitted = true; }
      el.dataset.ready = "1";
    }).catch(function () { el.dataset.ready = "1"; });
    function update() {
      if (shape) { map.removeLayer(shape); shape = null; }
      if (corners.length >= 2) {
        shape = (corners.length >= 3 ? L.polygon(corners, { color: "#b00020", weight: 2 }) : L.polyline(corners, { color: "#b00020" })).addTo(map);
      } else if (corners.length === 1) {
        shape = L.circleMarker(corners[0], { radius: 4, color: "#b00020" }).addTo(map);
      }
      if (corners.length >= 3) {
        var ring = corners.map(function (c) { return [Number(c.lng.toFixed(6)), Number(c.lat.toFixed(6))]; });
        ring.push(ring[0]);
        field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      } else {
        field.value = "";
      }
      status.textContent = corners.length + " " + status.dataset.corners;
      el.dataset.corners = String(corners.length);
    }
    map.on("click", function (e) { corners.push(e.latlng); update(); });
    document.getElementById("draw-undo").addEventListener("click", function () { corners.pop(); update(); });
    document.getElementById("draw-clear").addEventListener("click", function () { corners = []; update(); });
    document.getElementById("draw-locate").addEventListener("click", function () {
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        map.setView([p.coords.latitude, p.coords.longitude], 16);
      });
    });
    update();
  });
})();
