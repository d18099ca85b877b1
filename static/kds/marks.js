// How every screen kind shows what it did while it could not reach the server: a
// "◷ not sent yet" mark on what a waiting action changed, the count (and the list) of
// waiting actions, and a refusal, in words, on the ticket it was about.
//
// The strings come from the page (Django's translations): T.notSent, T.waitingOne,
// T.waitingMany ("{n}" is the count), T.did[action], T.refusals[reason], T.refused.

import { showLinkState } from "./connection.js";

const NOTE_MS = 12000;

export function markPending(el, text, where = el) {
  el.classList.add("is-pending");
  if (where.querySelector(":scope > .pending-mark")) return;
  const mark = document.createElement("span");
  mark.className = "pending-mark";
  mark.textContent = `◷ ${text}`;
  where.append(mark);
}

export function waitingCount(count, T) {
  if (!count) return "";
  return (count === 1 ? T.waitingOne : T.waitingMany).replace("{n}", String(count));
}

// "2 actions waiting to send: #601 bumped, #602 bumped"
export function waitingList(entries, T) {
  const waiting = entries.filter((e) => !e.done);
  if (!waiting.length) return "";
  const what = waiting.map((e) => `${e.note.label || ""} ${T.did[e.action] || e.action}`.trim());
  return `${waitingCount(waiting.length, T)}: ${what.join(", ")}`;
}

export function refusalText(answer, T) {
  return (T.refusals && T.refusals[answer.reason]) || T.refused;
}

// Refusals shown on the ticket they were about for a few seconds, through every redraw;
// one whose ticket is not on the screen is shown in the page's `toast`.
export function createNotes({ toast }) {
  const notes = new Map(); // key → {text, until}
  let toastTimer = null;
  function elsewhere(texts) {
    if (!texts.length || !toast) return;
    toast.textContent = texts.map((t) => `✖ ${t}`).join(" · ");
    toast.classList.remove("is-done");
    toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, 6000);
  }
  return {
    add(key, text) {
      notes.set(key, { text, until: Date.now() + NOTE_MS });
    },
    // Tickets are found by id under `roots`; a note whose time is up leaves its ticket.
    paint(roots) {
      const now = Date.now();
      for (const [key, note] of notes) if (note.until < now) notes.delete(key);
      for (const root of roots) {
        for (const p of root.querySelectorAll(".refusal")) {
          if (!notes.has(p.parentElement.id)) p.remove();
        }
      }
      const stray = [];
      for (const [key, note] of notes) {
        const el = key ? roots.map((root) => root.querySelector(`[id="${key}"]`)).find(Boolean) : null;
        if (!el) {
          stray.push(note.text);
          continue;
        }
        let p = el.querySelector(":scope > .refusal");
        if (!p) {
          p = document.createElement("p");
          p.className = "refusal";
          p.setAttribute("role", "alert");
          el.prepend(p);
        }
        p.textContent = `✖ ${note.text}`;
      }
      elsewhere(stray);
    },
  };
}

// The top bar's link state, with how many actions are waiting.
export function drawLinkState(el, conn, actions, T) {
  const state = conn.online ? "online" : conn.open ? "connecting" : "offline";
  showLinkState(el, state, T, waitingCount(actions.waiting().length, T));
}

// The offline banner, shown once the page has been without the server for `afterMs`,
// with the list of what is waiting. Returns whether it shows.
export function drawOffline({ banner, conn, syncedAt, actions, T, afterMs = 3000 }) {
  const down = !conn.online && Date.now() - syncedAt > afterMs;
  banner.hidden = !down;
  document.body.classList.toggle("is-offline", down);
  if (down) {
    const waiting = banner.querySelector("[data-offline-waiting]");
    waiting.textContent = waitingList(actions.all(), T);
    waiting.hidden = !waiting.textContent;
  }
  return down;
}

// The toast after a hand-over (expo) or a serve (front of house): "not sent yet" until
// the server has it, then done, with Undo for a few seconds, or the refusal. It never
// says done before the server did it. Undo of a tap not sent yet simply takes it back.
export function createUndo({ box, actions, T, seconds, word, undoAction }) {
  const text = box.querySelector("[data-undo-text]");
  const button = box.querySelector("[data-undo]");
  let entry = null;
  let timer = null;

  function draw() {
    if (!entry) return;
    const waiting = actions.waiting().some((e) => e.id === entry.id);
    const label = entry.note.label;
    text.textContent = waiting ? `◷ ${label} — ${word}: ${T.notSent}` : `✓ ${label} — ${word}`;
    box.classList.toggle("is-pending", waiting);
    button.hidden = false;
    box.hidden = false;
  }

  function close() {
    box.hidden = true;
    entry = null;
  }

  function offer(made) {
    entry = made;
    draw();
    clearTimeout(timer);
    timer = setTimeout(close, seconds * 1000 - 500);
  }

  // True when the toast showed the refusal (it was about the toast's own tap).
  function refused(made, message) {
    if (!entry || entry.id !== made.id) return false;
    entry = null;
    text.textContent = `✖ ${message}`;
    box.classList.remove("is-pending");
    button.hidden = true;
    box.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => {
      box.hidden = true;
    }, 4000);
    return true;
  }

  button.addEventListener("click", () => {
    const made = entry;
    close();
    if (made && !actions.cancel(made.id)) actions.act(undoAction, { order: made.data.order }, made.note);
  });
  return { offer, draw, refused };
}

// What a confirmed action did ("Fries: 86, sold out"), in the page's `toast`, briefly.
let doneTimer = null;
export function showDone(toast, text) {
  if (!toast) return;
  toast.textContent = `✓ ${text}`;
  toast.classList.add("is-done");
  toast.hidden = false;
  clearTimeout(doneTimer);
  doneTimer = setTimeout(() => {
    toast.hidden = true;
    toast.classList.remove("is-done");
  }, 4000);
}
