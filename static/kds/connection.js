// One WebSocket per page, for every screen kind: station, expo, front of house, pick-up.
//
// - It reconnects forever, 0.5 s, 1 s, 2 s … up to 5 s apart, each wait with jitter so a
//   kitchen of screens does not stampede a server that has just restarted.
// - A socket silent for 12 s is dead (a lost Wi-Fi does not always close one): it is
//   closed and replaced. The page syncs every few seconds, so a live one is never silent.
// - The server's close codes (orders/live/messages.py): 4001 not paired, 4002 moved to
//   another station, 4003 revoked or not allowed. The page reloads and the server shows
//   what this device is now; {"type": "reload"} does the same. Any other close (4013
//   "try again later" while the channel layer is down, a restart, the network): reconnect.
// - Boards (station and expo; `seq` given): a board may come in parts (parts.js); a patch
//   must build on the seq the page holds and a pong must name it, otherwise the page
//   asks for the whole board ("resync") rather than guess.
// - The clock: the server's time is Date.now() + skew, the skew measured at the midpoint
//   of each sync's round trip (a board's own "now" is used until the first pong).

import { boardAssembler } from "./parts.js";

const RELOAD_CODES = new Set([4001, 4002, 4003]);
const DEAD_AFTER_MS = 12000;

export function reloadPage() {
  location.reload();
}

export function connect({
  path,
  seq = null, // the board's sequence number, for pages that hold a board
  skew = 0, // server clock minus ours, as the page knows it when it starts
  syncEvery = 5000,
  onMessage, // every message for the page: boards and patches in order, results, lists
  onState = () => {}, // "connecting", "online" or "offline"
  onOpen = () => {}, // a socket is open: waiting actions can go
}) {
  let ws = null;
  let attempt = 0;
  let lastMessageAt = 0;
  let timer = null;
  let measured = false; // skew from a pong, not from a board's one-way "now"
  let state = "";
  let inStepAt = Date.now(); // when the board was last known to be the server's (local ms)
  const clock = {
    skew,
    now: () => Date.now() + clock.skew,
  };

  function setState(name) {
    if (name === state) return;
    state = name;
    onState(name);
  }

  function url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}${path}`;
  }

  function schedule() {
    if (timer) return;
    setState("offline");
    const base = Math.min(5000, 500 * 2 ** Math.min(attempt, 4));
    attempt += 1;
    timer = setTimeout(open, base / 2 + Math.random() * (base / 2));
  }

  function open() {
    clearTimeout(timer);
    timer = null;
    setState("connecting");
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
      onOpen();
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
      receive(msg);
    };
    socket.onclose = (event) => {
      if (socket !== ws) return;
      ws = null;
      if (RELOAD_CODES.has(event.code)) {
        reloadPage();
        return;
      }
      schedule();
    };
    socket.onerror = () => {
      /* onclose follows */
    };
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function inStep(msg) {
    if (typeof msg.now === "number" && !measured) clock.skew = msg.now - Date.now();
    seq = msg.seq;
    inStepAt = Date.now();
    setState("online");
    onMessage(msg);
  }

  const boards = boardAssembler(inStep);

  function receive(msg) {
    switch (msg.type) {
      case "reload":
        reloadPage();
        return;
      case "pong":
        if (typeof msg.t === "number" && typeof msg.now === "number") {
          clock.skew = msg.now - (msg.t + Date.now()) / 2;
          measured = true;
        }
        if (seq !== null && msg.seq !== seq) {
          send({ action: "resync" });
          return;
        }
        inStepAt = Date.now();
        setState("online");
        onMessage(msg);
        return;
      case "board":
        if (seq !== null) {
          boards.board(msg);
          return;
        }
        break;
      case "board_part":
        boards.part(msg);
        return;
      case "patch":
        if (msg.base !== seq) {
          send({ action: "resync" }); // we missed something
          return;
        }
        inStep(msg);
        return;
    }
    if (seq === null) {
      inStepAt = Date.now();
      setState("online");
    }
    onMessage(msg);
  }

  // Every few seconds: are we in step (this also measures the skew)? A socket silent too
  // long is dead.
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
    send(seq === null ? { action: "sync", t: Date.now() } : { action: "sync", seq, t: Date.now() });
  }, syncEvery);

  // After the page's module has set itself up (its handlers may use what it defines later).
  queueMicrotask(open);
  return {
    send,
    clock,
    get open() {
      return Boolean(ws && ws.readyState === WebSocket.OPEN);
    },
    get online() {
      return state === "online";
    },
    // Local time (ms) when the page last held the server's board or list.
    get inStepAt() {
      return inStepAt;
    },
    set inStepAt(value) {
      inStepAt = value;
    },
    get seq() {
      return seq;
    },
  };
}

export function formatAge(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, "0")}`;
}

// The link state in a page's top bar: "● Live", "◌ Connecting…", "○ Offline".
export function showLinkState(el, state, T, extra = "") {
  el.className = `link-state is-${state}`;
  const word =
    state === "online" ? `● ${T.online}` : state === "connecting" ? `◌ ${T.connecting}` : `○ ${T.offline}`;
  el.textContent = extra ? `${word} · ${extra}` : word;
}
