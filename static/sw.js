// Keeps a hall's pages and assets so that kiosks and boards go on working while the server
// cannot be reached, and never show the browser's error page.
//
// Pages: the network first; when it fails (or takes too long, or the server errs) the kept
// copy, marked with the time it was kept so that the page shows the offline banner.
// Assets have content-hashed names that never change: the kept copy first.
// offline.js sends {type: "sync", manifest: url}; the worker keeps every page and asset the
// manifest lists whenever its version differs from the one kept, and answers "synced".
"use strict";

var PAGES = "gongshi-pages-v1";
var ASSETS = "gongshi-assets-v1";
var META = "gongshi-meta-v1";
var VERSION_KEY = "/__gongshi/offline-version";
var CACHED_AT = "X-Gongshi-Cached-At";
var NETWORK_TIMEOUT_MS = 6000;
var PARALLEL_FETCHES = 4;
// Signed-in pages and registration links are never kept; a failed load of them is left to
// the browser. (The idle reset, /device/reset, falls back to the kept start screen.)
var NOT_KEPT = ["/editor", "/admin", "/device/register", "/api/", "/sw.js", "/offline-manifest.json"];

self.addEventListener("install", function (event) {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", function (event) {
  var current = [PAGES, ASSETS, META];
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("gongshi-") === 0 && current.indexOf(name) < 0;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function isKept(url) {
  return !NOT_KEPT.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

// A copy of the response that says when it was kept.
function stamped(response) {
  return response.blob().then(function (blob) {
    var headers = new Headers(response.headers);
    headers.set(CACHED_AT, new Date().toISOString());
    return new Response(blob, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

function keepPage(url, response) {
  if (!response.ok || response.type !== "basic") { return Promise.resolve(); }
  return Promise.all([caches.open(PAGES), stamped(response)]).then(function (both) {
    return both[0].put(url, both[1]);
  });
}

// The kept page, with the time it was kept on <body> for offline.js to show.
function marked(response) {
  var keptAt = response.headers.get(CACHED_AT) || "";
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");
    headers.delete("ETag");
    headers.set("Cache-Control", "no-store");
    html = html.replace("<body", '<body data-served-offline="' + keptAt + '"');
    return new Response(html, { status: 200, headers: headers });
  });
}

function lastResort() {
  // Nothing kept yet: a calm page that tries again by itself.
  var html = '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">' +
    '<meta http-equiv="refresh" content="10"><title>正在重新连接 · Reconnecting</title></head>' +
    '<body data-served-offline=""><h1>正在重新连接……</h1><p>Reconnecting…</p></body></html>';
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

function keptPage(request, otherwise) {
  var options = { ignoreVary: true };
  return caches.open(PAGES)
    .then(function (cache) {
      return cache.match(request, options)
        .then(function (hit) { return hit || cache.match(request, { ignoreVary: true, ignoreSearch: true }); })
        .then(function (hit) { return hit || cache.match(new URL("/", self.location).href, options); });
    })
    .then(function (hit) {
      if (hit) { return marked(hit); }
      return otherwise || lastResort();
    });
}

function fromNetwork(request) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("network timeout")); }, NETWORK_TIMEOUT_MS);
    fetch(request).then(
      function (response) { clearTimeout(timer); resolve(response); },
      function (error) { clearTimeout(timer); reject(error); }
    );
  });
}

function page(event) {
  var request = event.request;
  return fromNetwork(request)
    .then(function (response) {
      if (response.status >= 500) { return keptPage(request, response); }
      event.waitUntil(keepPage(request.url, response.clone()));
      return response;
    })
    .catch(function () { return keptPage(request, null); });
}

function asset(request) {
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !isKept(url)) { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});

function keptVersion() {
  return caches.open(META)
    .then(function (cache) { return cache.match(VERSION_KEY); })
    .then(function (hit) { return hit ? hit.text() : ""; });
}

function keepVersion(version) {
  return caches.open(META).then(function (cache) {
    return cache.put(VERSION_KEY, new Response(version));
  });
}

function inBatches(jobs, size, run) {
  var next = 0;
  function worker() {
    if (next >= jobs.length) { return Promise.resolve(); }
    var job = jobs[next++];
    return run(job).then(worker);
  }
  var workers = [];
  for (var n = 0; n < size; n++) { workers.push(worker()); }
  return Promise.all(workers);
}

function fetchInto(cache, url, isPage) {
  return fetch(url, { credentials: "same-origin", cache: "no-cache" })
    .then(function (response) {
      if (!response.ok) { return null; }
      return isPage ? stamped(response).then(function (copy) { return cache.put(url, copy); }) : cache.put(url, response);
    })
    .catch(function () { return null; });  // one page missing does not stop the rest
}

function dropOldAssets(cache, assets) {
  var wanted = assets.map(function (url) { return new URL(url, self.location).href; });
  return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (request) {
      return wanted.indexOf(request.url) < 0;
    }).map(function (request) { return cache.delete(request); }));
  });
}

function keepAll(manifest) {
  return Promise.all([caches.open(PAGES), caches.open(ASSETS)])
    .then(function (opened) {
      var jobs = manifest.pages.map(function (url) { return [opened[0], url, true]; })
        .concat(manifest.assets.map(function (url) { return [opened[1], url, false]; }));
      return inBatches(jobs, PARALLEL_FETCHES, function (job) { return fetchInto(job[0], job[1], job[2]); })
        .then(function () { return dropOldAssets(opened[1], manifest.assets); });
    })
    .then(function () { return keepVersion(manifest.version); })
    .then(function () { return manifest.version; });
}

var syncing = null;

function sync(manifestUrl) {
  if (!syncing) {
    syncing = fetch(manifestUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("manifest answered " + response.status); }
        return response.json();
      })
      .then(function (manifest) {
        return keptVersion().then(function (kept) {
          return kept === manifest.version ? kept : keepAll(manifest);
        });
      })
      .catch(function () { return keptVersion(); })
      .then(function (version) { syncing = null; return version; });
  }
  return syncing;
}

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type !== "sync" || !message.manifest) { return; }
  event.waitUntil(sync(message.manifest).then(function (version) {
    if (event.source && version) { event.source.postMessage({ type: "synced", version: version }); }
  }));
});
