// Progressive enhancement: keep the last warning and guidance pages for when the network drops.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(function () { /* offline support is optional */ });
}
