// Editor behaviour the markup cannot express. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // The kiosk script blocks the context menu for shared touchscreens; editors need it to copy
  // and paste, so stop the event before it reaches that handler.
  window.addEventListener("contextmenu", function (event) { event.stopImmediatePropagation(); }, true);

  // After an inline check, mark the input the problem names (its name is the field path).
  document.addEventListener("htmx:afterSwap", function () {
    var problems = document.getElementById("problems");
    var form = document.getElementById("revision-form");
    if (!problems || !form) { return; }
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var field = problems.getAttribute("data-field");
    if (field) {
      document.getElementsByName(field).forEach(function (el) { el.setAttribute("aria-invalid", "true"); });
    }
  });
})();
