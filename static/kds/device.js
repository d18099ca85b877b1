// What a screen keeps on its device, so a reload or a reboot without the server still
// shows the last board and still holds the taps waiting to be sent.
//
// - deviceStore(): localStorage under the screen's own name (the screen and its station,
//   or the signed-in runner and the restaurant). Whatever another screen of the same kind
//   left on the device (it was paired again, someone else signed in) is forgotten on
//   load: it is never shown and never sent with this screen's cookie.
// - keepPageOffline(): the Service Worker (/sw.js) keeps this page and its scripts, so
//   the page loads while the server is away; the board it shows is the stored one.

export function deviceStore(kind, scope) {
  const prefix = `kds:${kind}:`;
  const mine = `${prefix}${scope}:`;
  const memory = new Map(); // when storage is full or disabled, this page still works
  try {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix) && !key.startsWith(mine)) localStorage.removeItem(key);
    }
  } catch (err) {
    /* no storage: memory only */
  }
  return {
    get(name) {
      if (memory.has(name)) return memory.get(name);
      try {
        const raw = localStorage.getItem(mine + name);
        return raw === null ? null : JSON.parse(raw);
      } catch (err) {
        return null;
      }
    },
    set(name, value) {
      memory.set(name, value);
      try {
        localStorage.setItem(mine + name, JSON.stringify(value));
      } catch (err) {
        /* full (a huge board) or disabled: kept in memory for this page */
      }
    },
  };
}

export function keepPageOffline() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      // The page and everything it loaded from our static files, fetched before the
      // worker was there to see them.
      const urls = [location.pathname + location.search];
      for (const entry of performance.getEntriesByType("resource")) {
        const url = new URL(entry.name, location.href);
        if (url.origin === location.origin && url.pathname.startsWith("/static/kds/")) urls.push(url.pathname);
      }
      registration.active?.postMessage({ keep: urls });
    })
    .catch(() => {
      /* no worker (an old browser, a private window): the page works online only */
    });
}
