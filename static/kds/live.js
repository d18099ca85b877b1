// One WebSocket that reconnects by itself, with back-off, forever, and reports whether
// it is live. Used by the expo, front-of-house and pick-up pages.

export function connectLive({ path, onMessage, onState, syncEvery = 5000, sync = null }) {
  let ws = null;
  let attempt = 0;
  let lastMessageAt = 0;
  let timer = null;
  const DEAD_AFTER_MS = 12000;

  function url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${path}`;
  }

  function state(name) {
    if (onState) onState(name);
  }

  function schedule() {
    if (timer) return;
    state("offline");
    const base = Math.min(10000, 500 * 2 ** Math.min(attempt, 5));
    attempt += 1;
    timer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
  }

  function connect() {
    clearTimeout(timer);
    timer = null;
    state("connecting");
    let socket;
    try {
      socket = new WebSocket(url());
    } catch (err) {
      schedule();
      return;
    }
    ws = socket;
    socket.onopen = () => {
      lastMessageAt = Date.now();
    };
    socket.onmessage = (event) => {
      if (socket !== ws) return;
      lastMessageAt = Date.now();
      attempt = 0;
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (err) {
        return;
      }
      state("online");
      onMessage(msg);
    };
    socket.onclose = (event) => {
      if (socket !== ws) return;
      ws = null;
      if (event.code === 4001 || event.code === 4003) {
        location.reload();
        return;
      }
      schedule();
    };
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  setInterval(() => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastMessageAt > DEAD_AFTER_MS) {
      const dead = ws;
      ws = null;
      dead.onclose = null;
      dead.close();
      schedule();
      return;
    }
    if (sync) send(sync());
  }, syncEvery);

  connect();
  return { send };
}

export function formatAge(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}
