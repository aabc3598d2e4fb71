// Residents' form: the phone's location, only when the resident asks for it. Without
// JavaScript the map picker still works (the map is an image button of the form).
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  if (!button || !("geolocation" in navigator)) return;
  var lon = document.querySelector("input[name=point_lon]");
  var lat = document.querySelector("input[name=point_lat]");
  var status = document.getElementById("location-status");
  if (!lon || !lat) return;
  button.parentElement.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lon.value = position.coords.longitude.toFixed(6);
        lat.value = position.coords.latitude.toFixed(6);
        status.textContent = button.dataset.done || "✓";
      },
      function () {
        status.textContent = button.dataset.failed || "✗";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
