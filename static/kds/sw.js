// The Service Worker of the screens (served at /sw.js, so it may answer for /screen/ and
// /foh/): a screen page reloaded, or a device rebooted, while the server is away still
// loads, with its scripts; the page then shows the board it kept on the device.
//
// - Only the screen page (/screen/), the tablet (/foh/) and our static files are kept;
//   everything else goes to the network untouched.
// - Network first: a page or script is taken from the cache only when the server cannot
//   be reached (or takes more than a few seconds), so an online screen is always current.
// - A page is kept only when it is a real board (200, not redirected). The pairing page
//   (a 403: not or no longer paired), a sign-in redirect, a pairing, a sign-in or a
//   sign-out forget the kept pages: a device paired again, or a tablet someone else
//   signs in on, never shows the last one's board. The cache holds no cookies (a
//   response's Set-Cookie never reaches a Service Worker).

const CACHE = "kds-screens-v1";
const PAGES = ["/screen/", "/foh/"];
const FORGET_ON_POST = ["/pair/", "/accounts/login/", "/accounts/logout/"];
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const isPage = (url) => PAGES.includes(url.pathname);
const isStatic = (url) => url.pathname.startsWith("/static/kds/");

async function forgetPages() {
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (isPage(new URL(request.url))) await cache.delete(request);
  }
}

function withTimeout(promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await withTimeout(fetch(request));
  } catch (err) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw err;
  }
  if (response.ok && !response.redirected && response.type === "basic") {
    await cache.put(request, response.clone());
  } else if (isPage(url)) {
    await cache.delete(request, { ignoreVary: true });
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && FORGET_ON_POST.includes(url.pathname)) {
    // Forgotten before the post goes, so the page it leads to is the only one kept.
    event.respondWith(forgetPages().then(() => fetch(request)));
    return;
  }
  if (request.method !== "GET") return;
  if (isPage(url) || isStatic(url)) event.respondWith(networkFirst(request, url));
});

// A page asks to keep itself and what it loaded before this worker was there to see it.
self.addEventListener("message", (event) => {
  const urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      for (const path of urls) {
        const url = new URL(path, self.location.origin);
        if (url.origin !== self.location.origin || !(isPage(url) || isStatic(url))) continue;
        if (await cache.match(url.href)) continue;
        try {
          const response = await fetch(url.href, { credentials: "same-origin" });
          if (response.ok && !response.redirected) await cache.put(url.href, response);
        } catch (err) {
          /* it is kept the next time it loads */
        }
      }
    }),
  );
});
