// The wall board: rotate the slides, keep the clock, and ask every few seconds whether the
// screen changed. The server answers 304 while nothing did, and the new content when it
// did; the content is swapped in place, so the board never reloads.
(function () {
  "use strict";
  var body = document.body;
  var content = document.getElementById("board-content");
  var clockEl = document.getElementById("board-clock");
  var dateEl = document.getElementById("board-date");
  var asOfEl = document.getElementById("board-as-of");
  var progressEl = document.getElementById("board-progress");
  var pollUrl = body.dataset.pollUrl;
  var pollMs = Number(body.dataset.pollSeconds || 4) * 1000;
  var etag = body.dataset.etag;
  var lang = document.documentElement.lang || "zh-Hans";
  var zone = body.dataset.timeZone;
  // The server's clock minus the screen's: the board shows the city's time even when the
  // screen's own clock is wrong.
  var offset = 0;
  var index = 0;
  var rotation = null;

  var timeFormat = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
  var secondsFormat = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: zone });
  var dateFormat = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric", weekday: "long", timeZone: zone });

  function serverNow() { return new Date(Date.now() + offset); }

  function syncClock(response) {
    var stamp = Number(response.headers.get("X-Board-Time"));
    if (stamp) { offset = stamp - Date.now(); tick(); }
  }

  function tick() {
    var now = serverNow();
    clockEl.textContent = timeFormat.format(now);
    dateEl.textContent = dateFormat.format(now);
  }

  function slides() { return content.querySelectorAll(".slide"); }

  // Content is as long as the utilities wrote it: a slide that does not fit is shown
  // smaller, down to a size still readable across the hall, rather than cut off.
  var SMALLEST = 0.6;
  function overflows(slide) { return slide.scrollHeight > slide.clientHeight + 1; }
  function fit(slide) {
    var zoom = 1;
    slide.style.zoom = "";
    while (overflows(slide) && zoom > SMALLEST) {
      zoom = Math.max(SMALLEST, Math.round((zoom - 0.05) * 100) / 100);
      slide.style.zoom = String(zoom);
    }
    slide.dataset.zoom = String(zoom);
    slide.classList.toggle("is-cut", overflows(slide));
  }

  function show(n) {
    var all = slides();
    if (!all.length) { progressEl.textContent = ""; return; }
    index = (n + all.length) % all.length;
    all.forEach(function (slide, i) { slide.classList.toggle("is-active", i === index); });
    fit(all[index]);
    progressEl.textContent = all.length > 1 ? (index + 1) + " / " + all.length : "";
  }

  function screen() { return document.getElementById("board-screen"); }

  function startRotation() {
    clearInterval(rotation);
    var seconds = Number(screen().dataset.slideSeconds || 12);
    rotation = setInterval(function () { show(index + 1); }, seconds * 1000);
    body.dataset.contentVersion = screen().dataset.version;
  }

  function fresh() {
    var now = serverNow();
    body.dataset.asOf = now.toISOString();
    asOfEl.textContent = secondsFormat.format(now);
    asOfEl.setAttribute("datetime", now.toISOString());
    document.dispatchEvent(new CustomEvent("gongshi:reachable"));
  }

  function replace(html) {
    // Stay on the slide being shown if it is still there, so a refresh does not jump.
    var current = slides()[index];
    var key = current ? current.dataset.key : null;
    content.innerHTML = html;
    var keys = Array.prototype.map.call(slides(), function (slide) { return slide.dataset.key; });
    var found = keys.indexOf(key);
    show(found >= 0 ? found : 0);
    startRotation();
  }

  function poll() {
    fetch(pollUrl, { headers: { "If-None-Match": etag }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        syncClock(response);
        if (response.status === 304) { fresh(); return null; }
        if (!response.ok) { throw new Error("board poll answered " + response.status); }
        return response.text().then(function (html) {
          etag = response.headers.get("ETag") || etag;
          replace(html);
          fresh();
        });
      })
      .catch(function () { document.dispatchEvent(new CustomEvent("gongshi:unreachable")); })
      .then(function () { setTimeout(poll, pollMs); });
  }

  // A page kept for offline use carries the time it was made, not the time now.
  var served = Number(body.dataset.serverTime);
  if (served && !body.dataset.servedOffline) { offset = served - Date.now(); }
  show(0);
  startRotation();
  tick();
  setInterval(tick, 1000);
  setTimeout(poll, pollMs);
})();
