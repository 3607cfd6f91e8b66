// Keeps kiosks and boards going when the server cannot be reached: sends the device's
// heartbeat, installs the service worker that keeps the hall's pages, and shows
// "offline — content as of <time>" for as long as the server is out of reach.
(function () {
  "use strict";
  var data = document.currentScript.dataset;
  var body = document.body;
  var HEARTBEAT_MS = 60 * 1000;
  var PROBE_MS = 5 * 1000;
  var RESYNC_MS = 10 * 60 * 1000;
  var DEVICE_KEY = "gongshi.device";
  var VERSION_KEY = "gongshi.offlineVersion";
  var lang = document.documentElement.lang || "zh-Hans";
  var timeFormat = new Intl.DateTimeFormat(lang, {
    month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: data.timeZone
  });
  // A page the service worker served from its copy says when that copy was made.
  var servedOffline = body.hasAttribute("data-served-offline");
  var lastFresh = servedOffline && body.dataset.servedOffline ? new Date(body.dataset.servedOffline) : new Date();
  var offline = false;
  var probe = null;
  var banner = null;
  var workerVersion = null;

  function remembered(key) {
    try { return localStorage.getItem(key); } catch (error) { return null; }
  }
  function remember(key, value) {
    try {
      if (value === null) { localStorage.removeItem(key); } else { localStorage.setItem(key, value); }
    } catch (error) { /* private mode: nothing is remembered, nothing breaks */ }
  }

  function showBanner() {
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "offline-banner";
      banner.className = "offline-banner";
      banner.setAttribute("role", "status");
      body.appendChild(banner);
    }
    banner.textContent = data.offlineText.replace("{time}", timeFormat.format(lastFresh));
    banner.hidden = false;
    body.classList.add("is-offline");
  }

  function goOffline() {
    if (!offline) {
      offline = true;
      probe = setInterval(heartbeat, PROBE_MS);
    }
    showBanner();
  }

  function goOnline() {
    lastFresh = new Date();
    if (!offline) { return; }
    offline = false;
    clearInterval(probe);
    if (banner) { banner.hidden = true; }
    body.classList.remove("is-offline");
  }

  function contentVersion() {
    return body.dataset.contentVersion || remembered(VERSION_KEY) || "";
  }

  function syncWorker(manifestUrl, version) {
    if (!("serviceWorker" in navigator) || !manifestUrl) { return; }
    if (version && version === workerVersion) { return; }
    navigator.serviceWorker.register(data.workerUrl, { scope: "/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        registration.active.postMessage({ type: "sync", manifest: manifestUrl });
      })
      .catch(function () { /* no worker: the page still works online */ });
  }

  function heartbeat() {
    return fetch(data.heartbeatUrl, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ content_version: contentVersion() })
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("heartbeat answered " + response.status); }
        return response.json();
      })
      .then(function (reply) {
        goOnline();
        remember(DEVICE_KEY, reply.registered ? JSON.stringify(reply) : null);
        if (reply.registered) { syncWorker(reply.manifest, reply.version); }
        return reply;
      })
      .catch(function () {
        goOffline();
        return null;
      });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced" && event.data.version) {
        workerVersion = event.data.version;
        body.dataset.offlineVersion = workerVersion;
        remember(VERSION_KEY, workerVersion);
      }
    });
  }

  // htmx could not reach the server: load the page as a whole instead, which the service
  // worker answers from its copy. Without a worker that would show the browser's error
  // page, so then the banner alone says what happened.
  // A widget that asks for its own live part (data-offline-stay, e.g. the rating question)
  // stays as it is: the page around it is the one the resident wants.
  function fallBack(event) {
    var config = event.detail.requestConfig || {};
    var source = event.detail.elt;
    if (source && source.closest && source.closest("[data-offline-stay]")) { goOffline(); return; }
    var path = (event.detail.pathInfo && event.detail.pathInfo.requestPath) || config.path;
    goOffline();
    if (config.verb === "get" && path && navigator.serviceWorker && navigator.serviceWorker.controller) {
      window.location.assign(path);
    }
  }
  document.addEventListener("htmx:sendError", fallBack);
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 500) { fallBack(event); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) { goOnline(); }
  });
  document.addEventListener("gongshi:unreachable", goOffline);
  document.addEventListener("gongshi:reachable", goOnline);
  window.addEventListener("offline", goOffline);
  window.addEventListener("online", heartbeat);

  if (servedOffline) { goOffline(); }
  heartbeat().then(function (reply) {
    var device = reply || JSON.parse(remembered(DEVICE_KEY) || "null");
    if ((device && device.registered) || data.manifestUrl) {
      setInterval(function () { if (!offline) { heartbeat(); } }, HEARTBEAT_MS);
    }
    if (data.manifestUrl && !(reply && reply.registered)) {
      // A board page that is not a registered device learns no versions from its
      // heartbeat: the worker compares the manifest's version now and every few minutes.
      syncWorker(data.manifestUrl);
      setInterval(function () { syncWorker(data.manifestUrl); }, RESYNC_MS);
    }
  });
})();
