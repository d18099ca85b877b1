// Every tap of every screen kind goes through here: over the socket, else over HTTP, else
// it waits on the device until one of them works again.
//
// Each action gets an id (a UUID) and the time it was made (the server's clock as the
// page knows it) and is stored on the device before it is sent, so it survives a reload
// and a reboot. It is sent, with the same id, until an answer names that id: the server
// records the id with the action's effect, so a resend never does anything twice, and
// dates the action when it was made (orders/actions/once.py). Waiting actions go one at
// a time, in the order they were made.
//
// The page shows each waiting action at once, marked as not sent yet (`all()` lists
// them for it), and is told each answer (`onAnswer`): a refusal is shown on its ticket.
// A done action is kept in `all()` until the next board or list from the server, which
// shows it done, replaces the page's guess: so nothing flickers back meanwhile.

import { connect } from "./connection.js";

const ANSWER_TIMEOUT_MS = 8000;
// A tap the server answers within this shows no "not sent yet" mark, so none flickers.
const SHOW_WAITING_AFTER_MS = 800;
const HTTP_TIMEOUT_MS = 6000;
// The server dates an action at most 12 h back; one older than that is not sent at all.
const GIVE_UP_AFTER_MS = 12 * 3600 * 1000;

function uuid() {
  // crypto.randomUUID needs a secure context; a kitchen box on plain http has none.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function createActions({ conn, url, csrf, store, fields = {}, onChange, onAnswer }) {
  let queue = store.get("queue") || []; // waiting, oldest first
  let settled = store.get("settled") || []; // done, until the server's next board shows it
  let busy = false;
  let retryTimer = null;
  let retryDelay = 1000;
  const waiting = new Map(); // id → resolve, for answers over the socket

  function save() {
    store.set("queue", queue);
    store.set("settled", settled);
    onChange();
  }

  function act(action, data, note = {}) {
    const entry = {
      id: uuid(),
      action,
      data,
      note,
      made_local: Date.now(),
      sent: false,
    };
    queue.push(entry);
    save();
    pump();
    // Not answered in a moment: the page marks it as waiting (see `waitingToShow`).
    setTimeout(() => {
      if (queue.includes(entry)) onChange();
    }, SHOW_WAITING_AFTER_MS + 50);
    return entry;
  }

  // An action not sent yet can be taken back (expo's and front of house's undo).
  function cancel(id) {
    const entry = queue.find((e) => e.id === id);
    if (!entry || entry.sent) return false;
    queue = queue.filter((e) => e !== entry);
    save();
    return true;
  }

  function answered(msg) {
    const resolve = waiting.get(msg.id);
    if (resolve) {
      waiting.delete(msg.id);
      resolve(msg);
    }
  }

  // The server's board (or list) arrived: what was done is in it now.
  function boardArrived() {
    if (!settled.length) return;
    settled = [];
    save();
  }

  function viaSocket(message) {
    return new Promise((resolve) => {
      if (!conn.send(message)) {
        resolve(null);
        return;
      }
      const timer = setTimeout(() => {
        waiting.delete(message.id);
        resolve(null);
      }, ANSWER_TIMEOUT_MS);
      waiting.set(message.id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }

  async function viaHttp(message) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...fields, ...message })) body.set(key, String(value));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), HTTP_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        credentials: "same-origin",
        signal: abort.signal,
      });
      // 200 done, 409 refused, 400 not an action: an answer. Anything else (403 while
      // unpaired, a stale CSRF token; 5xx; a proxy's error page) is tried again later.
      if (![200, 400, 409].includes(response.status)) return null;
      const answer = await response.json();
      return response.status === 400 ? { ok: false, reason: "malformed" } : answer;
    } catch (err) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  async function deliver(entry) {
    entry.sent = true;
    store.set("queue", queue);
    // Both on the server's clock as the page knows it now: their difference, the age the
    // server dates the action by, is what the device's own clock measured since the tap,
    // whatever the skew was then (orders/actions/once.py).
    const skew = conn.clock.skew;
    const message = {
      action: entry.action,
      ...entry.data,
      id: entry.id,
      made_at: Math.round(entry.made_local + skew),
      sent_at: Math.round(Date.now() + skew),
    };
    if (conn.open) {
      const answer = await viaSocket(message);
      if (answer) return answer;
    }
    return viaHttp(message);
  }

  async function pump() {
    if (busy) return;
    busy = true;
    clearTimeout(retryTimer);
    retryTimer = null;
    try {
      while (queue.length) {
        const entry = queue[0];
        let answer;
        if (Date.now() - entry.made_local > GIVE_UP_AFTER_MS) answer = { ok: false, reason: "expired" };
        else answer = await deliver(entry);
        if (!answer) {
          retryTimer = setTimeout(pump, retryDelay);
          retryDelay = Math.min(10000, retryDelay * 2);
          return;
        }
        retryDelay = 1000;
        queue = queue.filter((e) => e.id !== entry.id);
        if (answer.ok) settled.push(entry);
        save();
        onAnswer(entry, answer);
      }
    } finally {
      busy = false;
    }
  }

  // Whatever was left waiting by the last page goes now (or as soon as it can).
  if (queue.length) setTimeout(pump, 0);

  return {
    act,
    cancel,
    answered,
    boardArrived,
    pump,
    // Every action the page should show: done ones the board does not show yet, then
    // the waiting ones, in the order they were made.
    all: () => [...settled.map((e) => ({ ...e, done: true })), ...queue],
    waiting: () => [...queue],
  };
}

// A page's socket and its actions, wired together: answers over the socket reach the
// actions, a socket that opens sends what is waiting, and any change redraws the page.
// True for an action the page should mark as not sent yet.
export function waitingToShow(entry) {
  return !entry.done && Date.now() - entry.made_local >= SHOW_WAITING_AFTER_MS;
}

export function startLive({
  config,
  store,
  fields,
  seq = null,
  skew = 0,
  syncEvery,
  onMessage,
  onChange,
  onState = onChange,
  onAnswer,
}) {
  let actions = null;
  const conn = connect({
    path: config.ws_path,
    seq,
    skew,
    syncEvery,
    onMessage: (msg) => (msg.type === "result" ? actions.answered(msg) : onMessage(msg)),
    onState: () => onState(),
    onOpen: () => actions.pump(),
  });
  actions = createActions({ conn, url: config.action_url, csrf: config.csrf_token, store, fields, onChange, onAnswer });
  return { conn, actions };
}
