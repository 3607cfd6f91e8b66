// The kiosk's idle reset. After the hall's idle time without a touch, the next resident must
// find the start screen in the default language and text size with nothing typed in: warn
// for the last 10 seconds with a visible countdown (any touch cancels), then load the reset
// address, which clears the language and text-size cookies and shows the start screen.
// Registered kiosks only (offline.js remembers the heartbeat's answer, with the hall's idle
// time).
(function () {
  "use strict";
  var data = document.currentScript.dataset;
  var DEFAULT_SECONDS = 90;
  var WARNING_SECONDS = 10;
  // Set by the first touch and kept across page loads of this tab, so that a resident who
  // changed something and walked away is reset even from the start screen.
  var ACTIVE_KEY = "gongshi.idle.active";
  var timer = null;
  var ticker = null;
  var warning = null;

  // What offline.js remembers from the heartbeat: set on registered kiosks and boards only.
  function device() {
    try { return JSON.parse(localStorage.getItem("gongshi.device") || "null"); } catch (error) { return null; }
  }

  // Only registered kiosks reset: a phone that opened a notice's QR code is one person's.
  function isResetting() {
    var known = device();
    return Boolean(known && known.kind === "kiosk");
  }

  function idleSeconds() {
    var known = device();
    return known && Number(known.idle_seconds) > 0 ? Number(known.idle_seconds) : DEFAULT_SECONDS;
  }

  function stored(storage, key) {
    try { return storage.getItem(key); } catch (error) { return null; }
  }

  function isPristine() {
    var start = new URL(data.startUrl, window.location.href);
    // Large text and high contrast show as classes on <html>.
    return window.location.pathname === start.pathname && !window.location.search &&
      document.documentElement.lang === data.defaultLang && !document.documentElement.className;
  }

  function buildWarning() {
    warning = document.createElement("div");
    warning.id = "idle-warning";
    warning.className = "idle-warning";
    warning.setAttribute("role", "alertdialog");
    warning.setAttribute("aria-live", "assertive");
    warning.setAttribute("aria-labelledby", "idle-message");
    var message = document.createElement("p");
    message.id = "idle-message";
    message.className = "idle-message";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-primary idle-continue";
    button.textContent = data["continue"];
    warning.appendChild(message);
    warning.appendChild(button);
    warning.hidden = true;
    warning.addEventListener("click", function (event) {
      event.preventDefault();
      arm();
    });
    document.body.appendChild(warning);
  }

  function hideWarning() {
    clearInterval(ticker);
    if (warning) { warning.hidden = true; }
  }

  function clearInputs() {
    document.querySelectorAll("form").forEach(function (form) { form.reset(); });
    document.querySelectorAll("input, textarea").forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") { field.checked = false; } else if (field.type !== "hidden") { field.value = ""; }
    });
  }

  function reset() {
    hideWarning();
    clearInputs();
    try { sessionStorage.clear(); } catch (error) { /* nothing to clear */ }
    window.location.replace(data.resetUrl);
  }

  function warn(seconds) {
    if (!warning) { buildWarning(); }
    var left = seconds;
    var message = document.getElementById("idle-message");
    function show() { message.textContent = data.warning.replace("{seconds}", String(left)); }
    show();
    warning.hidden = false;
    ticker = setInterval(function () {
      left -= 1;
      if (left <= 0) { reset(); } else { show(); }
    }, 1000);
  }

  function arm() {
    clearTimeout(timer);
    hideWarning();
    if (!isResetting()) { return; }
    var total = idleSeconds();
    var warnFor = Math.min(WARNING_SECONDS, total);
    timer = setTimeout(function () { warn(warnFor); }, (total - warnFor) * 1000);
  }

  function touched() {
    try { sessionStorage.setItem(ACTIVE_KEY, "1"); } catch (error) { /* still armed below */ }
    if (warning && !warning.hidden) {
      // Keep the warning up until its click: hidden now, the tap would land on whatever
      // lies beneath. A touch that never becomes a click re-arms a moment later.
      clearInterval(ticker);
      clearTimeout(timer);
      timer = setTimeout(arm, 1000);
      return;
    }
    arm();
  }

  // Editor pages share the layout but are not kiosk screens.
  if (!document.body.classList.contains("kiosk")) { return; }
  // The warning covers the whole screen, so a touch that cancels it presses nothing else.
  ["pointerdown", "touchstart", "keydown", "wheel", "input"].forEach(function (type) {
    document.addEventListener(type, touched, { capture: true, passive: true });
  });
  if (stored(window.sessionStorage, ACTIVE_KEY) || !isPristine()) { arm(); }
})();
