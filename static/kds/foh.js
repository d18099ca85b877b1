// Front of house: ready orders, the longest waiting first, the wait coloured and worded
// as on the screens. Tap a dish, or "All served"; undo for a few seconds.
//
// The list is the server's partial (templates/orders/foh.html, `orders`), pushed whole on
// every change; its buttons are plain forms that work without this script. With it, a
// tap goes through actions.js like every screen's: the dish shows served (or the order
// leaves) at once, marked "not sent yet" until the server has it, so serving goes on
// while the Wi-Fi is down and is sent, once, when it is back.

import { clockText } from "./clock.js";
import { startLive, waitingToShow } from "./actions.js";
import { formatAge } from "./connection.js";
import { deviceStore, keepPageOffline } from "./device.js";
import { createNotes, createUndo, drawLinkState, drawOffline, markPending, refusalText } from "./marks.js";

const config = JSON.parse(document.getElementById("kds-config").textContent);
const T = JSON.parse(document.getElementById("kds-strings").textContent);
const root = document.getElementById("foh");
const linkState = document.querySelector("[data-link-state]");
const clock = document.querySelector("[data-clock]");
const offline = document.getElementById("offline");
const undoBox = document.getElementById("undo");
const store = deviceStore("foh", `${config.user_id}-${config.restaurant}`);

// The server's list as last pushed (or kept on the device, when the page came from the
// cache while the server is away).
let list = { html: root.innerHTML, now: config.now, skew: config.now - Date.now() };
const kept = store.get("list");
if (kept && kept.now > list.now && typeof kept.html === "string") list = kept;
let syncedAt = list.now - list.skew;
const gone = new Map(); // card key → HTML of cards that left, for an undo made offline

const { conn, actions } = startLive({
  config,
  store,
  skew: list.skew,
  fields: { r: config.restaurant },
  onMessage,
  onChange: draw,
  // The link state alone: a reconnect attempt does not redraw the board.
  onState: () => drawLinkState(linkState, conn, actions, T),
  onAnswer,
});
const undo = createUndo({
  box: undoBox,
  actions,
  T,
  seconds: config.undo_seconds || 10,
  word: T.served,
  undoAction: "undo",
});
const notes = createNotes({ toast: document.getElementById("toast") });

function cards(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  return tpl.content;
}

function onMessage(msg) {
  if (msg.type !== "foh") return;
  for (const card of cards(list.html).querySelectorAll(".foh-card")) gone.set(card.id, card.outerHTML);
  list = { html: msg.html, now: conn.clock.now(), skew: conn.clock.skew };
  for (const card of cards(list.html).querySelectorAll(".foh-card")) gone.delete(card.id);
  syncedAt = Date.now();
  store.set("list", list);
  actions.boardArrived();
  draw();
}

function findLastServe(entries, order) {
  return [...entries].reverse().find((e) => e.action.startsWith("serve_") && e.data.order === order);
}

// The server's list with this tablet's own taps on top, in the order they were made.
function draw() {
  const open = root.querySelector("details.foh-history")?.open;
  const base = cards(list.html);
  const content = cards(list.html);
  const main = content.querySelector(".foh-main");
  // An undo takes back the latest serve of its order before it.
  const entries = [];
  for (const entry of actions.all()) {
    const undone = entry.action === "undo" && findLastServe(entries, entry.data.order);
    if (undone) entries.splice(entries.indexOf(undone), 1);
    else entries.push(entry);
  }
  for (const entry of entries) {
    const key = `f${entry.data.order}`;
    let card = content.getElementById(key);
    if (entry.action === "serve_order") {
      card?.remove();
      card = null;
    } else if (entry.action === "undo" && !card && main) {
      // The server's card (served here while offline), or the last one seen before it left.
      card = base.getElementById(key) || (gone.has(key) ? cards(gone.get(key)).firstElementChild : null);
      if (card) main.prepend(card);
    } else if (card && entry.action === "serve_line") {
      const button = card.querySelector(`.foh-dish[data-line="${entry.data.line}"]`);
      if (button) {
        button.disabled = true;
        button.classList.add("is-served");
        button.querySelector(".go").textContent = `✓ ${T.served}`;
        if (waitingToShow(entry)) markPending(button, T.notSent, button.querySelector(".name") || button);
      }
    }
    if (card && waitingToShow(entry)) markPending(card, T.notSent, card.querySelector(".foh-head") || card);
  }
  root.replaceChildren(content);
  if (open) root.querySelector("details.foh-history").open = true;
  notes.paint([root]);
  drawLinkState(linkState, conn, actions, T);
  undo.draw();
  tick();
}

function onAnswer(entry, answer) {
  if (!answer.ok) {
    const text = `${entry.note.label} ${refusalText(answer, T)}`.trim();
    if (!undo.refused(entry, text)) notes.add(`f${entry.data.order}`, text);
  }
  draw();
}

// The forms post without this script; with it, they go through the actions module.
root.addEventListener("submit", (event) => {
  event.preventDefault();
  const target = event.submitter && event.submitter.closest("[data-action]");
  if (!target || target.disabled) return;
  const card = target.closest(".foh-card");
  const number = card ? `#${card.dataset.number}` : "";
  const data = { order: target.dataset.order };
  if (target.dataset.line) data.line = target.dataset.line;
  const what = target.dataset.line ? target.querySelector(".name").textContent : number;
  undo.offer(actions.act(target.dataset.action, data, { label: what }));
});

function tick() {
  const now = conn.clock.now();
  for (const card of root.querySelectorAll(".foh-card")) {
    const waited = (now - Number(card.dataset.ready)) / 1000;
    const el = card.querySelector("[data-wait]");
    if (el) el.textContent = formatAge(waited);
    // The screens' thresholds and words: never colour alone.
    const state = waited >= Number(card.dataset.late) ? "late" : waited >= Number(card.dataset.warn) ? "warning" : "ok";
    if (card.dataset.state !== state) {
      card.dataset.state = state;
      for (const s of ["ok", "warning", "late"]) card.classList.toggle(`state-${s}`, s === state);
      const cue = card.querySelector("[data-cue]");
      if (cue) cue.textContent = { ok: `● ${T.onTime}`, warning: `▲ ${T.warning}`, late: `✖ ${T.late}` }[state];
    }
  }
  clock.textContent = clockText(now, config.clock);
  drawOffline({ banner: offline, conn, syncedAt, actions, T });
}
setInterval(tick, 1000);
draw();
keepPageOffline();
