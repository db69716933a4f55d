/* The observer's app offline (docs/observation-offline.md): the shell is served from
   the cache when there is no network; the forms and stations come from the network
   when it answers, else from the last copy kept. Reports never pass through here as
   a cache: the page keeps them in IndexedDB until the server has answered. */
"use strict";
const VERSION = {{ version|safe }};
const SHELL = {{ shell|safe }};
const DATA = {{ data|safe }};
const SHELL_CACHE = "observe-shell-" + VERSION;
const DATA_CACHE = "observe-data";

// The forms and stations too, so that the app works offline from its first start;
// a failure here (no session) only leaves them for the page to fetch.
async function keepData() {
  const cache = await caches.open(DATA_CACHE);
  await Promise.all(DATA.map(async (path) => {
    try {
      const response = await fetch(path, {credentials: "same-origin"});
      if (response.ok) {
        await cache.put(path, response);
      }
    } catch (error) {
      // offline while installing: the page's next fetch keeps them
    }
  }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL))
    .then(keepData).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith("observe-shell-") && name !== SHELL_CACHE)
    .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

// The server says nobody is signed in (the app's page redirects to the login page, the
// data answers 401 or 403): the phone forgets the shell and the data it kept for the
// last observer, so the next person cannot open their page offline. The queue of
// unsent reports is the page's, in IndexedDB, and stays for its owner.
async function forget() {
  const shell = await caches.open(SHELL_CACHE);
  await shell.delete(SHELL[0]);
  await caches.delete(DATA_CACHE);
}

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(key, response.clone());
    } else if (response.type === "opaqueredirect" || response.redirected ||
               response.status === 401 || response.status === 403) {
      // (a navigation's redirect reaches the worker unopened, as "opaqueredirect")
      await forget();
    }
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (DATA.includes(url.pathname)) {
    event.respondWith(networkFirst(request, DATA_CACHE, url.pathname));
  } else if (request.mode === "navigate" && url.pathname === SHELL[0]) {
    event.respondWith(networkFirst(request, SHELL_CACHE, SHELL[0]));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(request)));
  }
});
