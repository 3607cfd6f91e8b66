// Touchscreen behaviour the markup cannot express. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // Safari/WebKit pinch gestures ignore user-scalable=no; stop them here.
  document.addEventListener("gesturestart", function (event) { event.preventDefault(); });
  // A long press must not open a context menu on a shared kiosk.
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
  // Move focus to the new content after a swap so screen readers announce it.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "main") {
      event.detail.target.focus({ preventScroll: true });
    }
  });
})();
