// On-screen keyboards (templates/components/keyboard.html): a kiosk has no physical keyboard.
// A key types into the input named by its keyboard's data-keyboard-for, then fires "input"
// so htmx triggers (hx-trigger="input changed ...") see the change as if it had been typed.
(function () {
  "use strict";
  // Loaded with the nav bar; a second copy on the same page would type every key twice.
  if (window.gongshiKeyboard) { return; }
  window.gongshiKeyboard = true;

  function edit(value, key) {
    var action = key.getAttribute("data-action");
    if (action === "clear") { return ""; }
    // Array.from splits by code point, so one tap removes one character.
    if (action === "backspace") { return Array.from(value).slice(0, -1).join(""); }
    var typed = key.getAttribute("data-key");
    if (typed === " " && (value === "" || value.slice(-1) === " ")) { return value; }
    if (typed === "." && value.indexOf(".") !== -1) { return value; }
    return value + typed;
  }

  // A keyboard that follows focus types into the text field of its form last tapped.
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("input[type=text], input:not([type]), textarea")) { return; }
    var form = field.closest("form");
    var board = form && form.querySelector("[data-keyboard-follows-focus]");
    if (board && field.id) { board.setAttribute("data-keyboard-for", field.id); }
  });

  document.addEventListener("click", function (event) {
    var key = event.target.closest(".keyboard [data-key], .keyboard [data-action]");
    if (!key) { return; }
    var board = key.closest("[data-keyboard-for]");
    var input = board && document.getElementById(board.getAttribute("data-keyboard-for"));
    if (!input) { return; }
    var value = edit(input.value, key);
    if (input.maxLength > 0 && Array.from(value).length > input.maxLength) { return; }
    if (value === input.value) { return; }
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
