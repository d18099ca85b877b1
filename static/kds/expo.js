// The expo screen: whole orders, ready ones on the left; speaks what becomes ready.
//
// Boards and patches are the station protocol's (orders/screens/protocol.py), through
// connection.js; taps go through actions.js like every screen's, so a hand-over made
// while the server is away takes the order off at once, marked "not sent yet", and is
// sent when it can be; only the server's answer makes the toast say it was done.
//
// Each ticket and line carries `data-ready-key`, which changes every time it becomes
// ready, and `data-say`, the phrase. A key this page has not seen before is spoken
// once; the keys on the page when it loads are not, so a reload or resync never
// repeats one, and a board received after a reconnect speaks what became ready meanwhile.

import { clockText } from "./clock.js";
import { startLive, waitingToShow } from "./actions.js";
import { createBoard } from "./board.js";
import { formatAge } from "./connection.js";
import { deviceStore, keepPageOffline } from "./device.js";
import { dishesPanel } from "./dishes.js";
import { createNotes, createUndo, drawLinkState, drawOffline, markPending, refusalText } from "./marks.js";
import { createSpeaker } from "./speech.js";

const config = JSON.parse(document.getElementById("kds-config").textContent);
const T = JSON.parse(document.getElementById("kds-strings").textContent);
const readyCol = document.getElementById("ready");
const cookingCol = document.getElementById("cooking");
const summary = document.getElementById("summary");
const emptyReady = document.querySelector("[data-empty-ready]");
const linkState = document.querySelector("[data-link-state]");
const offline = document.getElementById("offline");
const clock = document.querySelector("[data-clock]");
const undoBox = document.getElementById("undo");
const speechConf = config.speech;
const store = deviceStore("screen", `${config.screen_id}-${config.station_id}`);

const initial = document.getElementById("initial-board");
const serverBoard = createBoard({
  store,
  config,
  kind: "expo",
  tickets: [...initial.content.children].map((el) => [el.dataset.key, el.outerHTML]),
  side: summary.innerHTML,
});

const heard = new Set(); // ready keys already spoken (or already there on load)
const lateSpoken = new Set();

const speaker =
  speechConf.announce !== "off"
    ? createSpeaker({
        lang: speechConf.lang,
        voice: speechConf.voice,
        rate: speechConf.rate,
        volume: speechConf.volume,
        chime: speechConf.chime,
        overlay: document.getElementById("sound-overlay"),
        server: speechConf.server,
      })
    : null;
window.kdsSpeaker = speaker;

const { conn, actions } = startLive({
  config,
  store,
  seq: serverBoard.server.seq,
  skew: serverBoard.server.skew,
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
  seconds: (config.undo_seconds || 10) + 0.5,
  word: T.handedOver,
  undoAction: "unserve",
});
const notes = createNotes({ toast: document.getElementById("toast") });
const dishes = dishesPanel({ conn, actions, store, T });
document.querySelector("[data-ui='dishes']").addEventListener("click", () => dishes.open());
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (dishes.key(event.key)) event.preventDefault();
  else if (["s", "S", "8"].includes(event.key)) dishes.open();
});

function onMessage(msg) {
  switch (msg.type) {
    case "board":
    case "patch":
      if (!serverBoard.take(msg, conn.clock)) return;
      actions.boardArrived();
      draw();
      announce(false);
      break;
    case "pong":
      serverBoard.syncedAt = Date.now();
      actions.boardArrived();
      draw();
      break;
    case "dishes":
      dishes.take(msg);
      break;
    case "say": // the admin's "test voice"
      if (speaker) speaker.say(msg.text, msg.lang);
      break;
  }
}

// ------------------------------------------------------------------ drawing

function tickets() {
  return [...readyCol.children, ...cookingCol.children];
}

// What a waiting send-back looks like before the server redraws the line.
function sendBack(node, placement) {
  const line = node.querySelector(`.xline[data-placement="${placement}"]`);
  if (!line) return;
  line.className = "xline state-live is-sent-back";
  line.removeAttribute("data-ready-key");
  line.querySelector(".tag-ready")?.remove();
  line.querySelector(".send-back")?.remove();
  markPending(line, T.notSent);
  node.dataset.status = "cooking";
  node.removeAttribute("data-ready-key");
  node.querySelector(".handover")?.remove();
}

// The server's board with this screen's own actions on top, in the order they were made.
function draw() {
  const server = serverBoard.server;
  const base = serverBoard.nodes();
  const shown = new Map(base);
  const changed = new Set();
  for (const entry of actions.all()) {
    const key = entry.note.key;
    let node = shown.get(key) || null;
    if (node && !changed.has(key)) {
      node = node.cloneNode(true);
      changed.add(key);
    }
    if (entry.action === "handover") node = null;
    else if (entry.action === "unserve" && !node) {
      node = base.has(key) ? base.get(key).cloneNode(true) : serverBoard.left(key);
    }
    else if (node && entry.action === "send_back") sendBack(node, entry.data.placement);
    else if (node && entry.action === "fire_course") node.querySelector(".fire")?.remove();
    if (node && waitingToShow(entry)) markPending(node, T.notSent, node.querySelector(".xhead") || node);
    if (node) {
      shown.set(key, node);
      changed.add(key);
    } else {
      shown.delete(key);
    }
  }
  const nodes = [...shown.values()];
  readyCol.replaceChildren(...nodes.filter((n) => n.dataset.status === "ready"));
  cookingCol.replaceChildren(...nodes.filter((n) => n.dataset.status !== "ready"));
  paintArmed();
  emptyReady.hidden = readyCol.children.length > 0;
  if (summary.innerHTML !== server.side) summary.innerHTML = server.side;
  readyCol.dataset.waiting = String(actions.waiting().length);
  notes.paint([readyCol, cookingCol]);
  drawLinkState(linkState, conn, actions, T);
  undo.draw();
  dishes.draw();
  tick();
}

function announce(silent) {
  const said = [];
  if (speechConf.announce === "item") {
    for (const line of document.querySelectorAll(".xline[data-ready-key]")) {
      const key = line.dataset.readyKey;
      if (!key || heard.has(key)) continue;
      heard.add(key);
      if (!silent) said.push(line.dataset.say);
    }
  } else {
    for (const ticket of tickets()) {
      const key = ticket.dataset.readyKey;
      if (!key || heard.has(key)) continue;
      heard.add(key);
      if (!silent) said.push(ticket.dataset.say);
    }
  }
  if (speaker) for (const text of said) speaker.say(text);
}

// ------------------------------------------------------------------ timers

function tick() {
  const now = conn.clock.now();
  for (const el of tickets()) {
    const age = (now - Number(el.dataset.since)) / 1000;
    const warn = Number(el.dataset.warn);
    const late = Number(el.dataset.late);
    const state = age >= late ? "late" : age >= warn ? "warning" : "ok";
    el.classList.toggle("state-ok", state === "ok");
    el.classList.toggle("state-warning", state === "warning");
    el.classList.toggle("state-late", state === "late");
    const ageEl = el.querySelector("[data-age]");
    if (ageEl) ageEl.textContent = formatAge(age);
    const cue = el.querySelector("[data-cue]");
    if (cue) cue.textContent = state === "late" ? `⚠ ${T.late}` : state === "warning" ? `◔ ${T.warning}` : "";
    const key = el.dataset.readyKey;
    if (state === "late" && key && speechConf.announce_late && !lateSpoken.has(key)) {
      lateSpoken.add(key);
      if (speaker) speaker.say(el.dataset.sayLate);
    }
  }
  clock.textContent = clockText(now, config.clock);
  drawOffline({ banner: offline, conn, syncedAt: serverBoard.syncedAt, actions, T });
}
setInterval(tick, 1000);

// ------------------------------------------------------------------ actions and undo

// Send back asks for a second tap on the same button within a few seconds, as hand
// over offers an undo: a slip of the finger at the pass would put a finished dish back
// on a station's board.
const ARMED_MS = 4000;
let armed = null; // {placement, timer}

function arm(placement) {
  disarm();
  armed = { placement, timer: setTimeout(() => { disarm(); paintArmed(); }, ARMED_MS) };
  paintArmed();
}

function disarm() {
  if (armed) clearTimeout(armed.timer);
  armed = null;
}

function paintArmed() {
  for (const button of document.querySelectorAll(".send-back.is-armed")) {
    button.classList.remove("is-armed");
    button.textContent = "↩";
  }
  if (!armed) return;
  const button = document.querySelector(`.send-back[data-placement="${armed.placement}"]`);
  if (!button) return disarm();
  button.classList.add("is-armed");
  button.textContent = `↩ ${T.sendBackAgain}`;
}

function onAnswer(entry, answer) {
  if (!answer.ok) {
    const text = `${entry.note.label} ${refusalText(answer, T)}`.trim();
    if (!undo.refused(entry, text)) notes.add(entry.note.key, text);
  }
  draw();
}

function noteFor(target) {
  const ticket = target.closest(".xticket");
  const order = target.dataset.order || ticket?.dataset.order;
  return { key: ticket ? ticket.dataset.key : `x${order}`, label: ticket?.querySelector(".num")?.textContent || "" };
}

document.querySelector(".xlayout").addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target) return;
  const action = target.dataset.action;
  const note = noteFor(target);
  if (action === "handover") {
    undo.offer(actions.act("handover", { order: Number(target.dataset.order) }, note));
  } else if (action === "send_back") {
    if (armed?.placement !== target.dataset.placement) {
      arm(target.dataset.placement);
      return;
    }
    disarm();
    actions.act("send_back", { placement: Number(target.dataset.placement) }, note);
  } else if (action === "fire_course") {
    actions.act("fire_course", { order: Number(target.dataset.order) }, note);
  }
});

const testButton = document.querySelector("[data-test-voice]");
if (testButton && speaker) {
  testButton.addEventListener("click", () => {
    speaker.unblock();
    speaker.say(speechConf.test_phrase);
  });
}

// The board the page starts with: what is ready now is not news.
draw();
announce(true);
keepPageOffline();
