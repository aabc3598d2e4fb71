// The newsletter's print button (no inline script: the portal's CSP forbids it).
(function () {
  "use strict";
  var button = document.getElementById("print-page");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
