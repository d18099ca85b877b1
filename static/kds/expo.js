// The expo screen: whole orders, ready ones on the left; speaks what becomes ready.
//
// Boards and patches are the station protocol's (see orders/consumers.py). Each ticket
// and line carries `data-ready-key`, which changes every time it becomes ready, and
// `data-say`, the phrase. A key this page has not seen before is spoken once; the keys
// on the page when it loads are not, so a reload or resync never repeats one, and a
// board received after a reconnect speaks whatever became ready meanwhile.

import { connectLive, formatAge } from "./live.js";
import { boardAssembler } from "./parts.js";
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
const undoText = undoBox.querySelector("[data-undo-text]");
const speechConf = config.speech;

let seq = config.seq;
let skew = config.now - Date.now();
let lastOnline = Date.now();
const heard = new Set(); // ready keys already spoken (or already there on load)
const lateSpoken = new Set();
let undoOrder = null;
let undoTimer = null;

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

const serverNow = () => Date.now() + skew;

function fragment(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  return tpl.content.firstElementChild;
}

function tickets() {
  return [...readyCol.children, ...cookingCol.children];
}

function place(nodes) {
  readyCol.replaceChildren(...nodes.filter((n) => n.dataset.status === "ready"));
  cookingCol.replaceChildren(...nodes.filter((n) => n.dataset.status !== "ready"));
  emptyReady.hidden = readyCol.children.length > 0;
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

function afterUpdate(msg, silent) {
  seq = msg.seq;
  if (typeof msg.now === "number") skew = msg.now - Date.now();
  if (msg.all_day !== undefined && msg.all_day !== null) summary.innerHTML = msg.all_day;
  announce(silent);
  tick();
}

function applyBoard(msg) {
  place(msg.tickets.map(([, html]) => fragment(html)));
  afterUpdate(msg, false);
}

function applyPatch(msg) {
  if (msg.base !== seq) {
    live.send({ action: "resync" });
    return;
  }
  const existing = new Map(tickets().map((el) => [el.dataset.key, el]));
  for (const [key, html] of msg.upsert) existing.set(key, fragment(html));
  place(msg.order.map((key) => existing.get(key)).filter(Boolean));
  afterUpdate(msg, false);
}

const boards = boardAssembler((msg) => applyBoard(msg));

function onMessage(msg) {
  switch (msg.type) {
    case "board":
      boards.board(msg);
      break;
    case "board_part":
      boards.part(msg);
      break;
    case "patch":
      applyPatch(msg);
      break;
    case "pong":
      if (typeof msg.t === "number") skew = msg.now - (msg.t + Date.now()) / 2;
      if (msg.seq !== seq) live.send({ action: "resync" });
      break;
    case "result":
      if (!msg.ok) flash(T.refused);
      break;
    case "say": // the admin's "test voice"
      if (speaker) speaker.say(msg.text, msg.lang);
      break;
  }
}

function onState(state) {
  linkState.className = `link-state is-${state}`;
  linkState.textContent =
    state === "online" ? `● ${T.online}` : state === "connecting" ? `◌ ${T.connecting}` : `○ ${T.offline}`;
  if (state === "online") lastOnline = Date.now();
}

const live = connectLive({
  path: config.ws_path,
  onMessage,
  onState,
  sync: () => ({ action: "sync", seq, t: Date.now() }),
});

// ------------------------------------------------------------------ timers

function tick() {
  const now = serverNow();
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
  clock.textContent = new Date(now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const down = linkState.classList.contains("is-online") ? 0 : Date.now() - lastOnline;
  offline.hidden = down < (config.offline_after_ms || 3000);
}
setInterval(tick, 1000);

// ------------------------------------------------------------------ actions

function flash(text) {
  undoText.textContent = text;
  undoBox.querySelector("[data-undo]").hidden = true;
  undoBox.hidden = false;
  clearTimeout(undoTimer);
  undoTimer = setTimeout(() => {
    undoBox.hidden = true;
  }, 2500);
}

function offerUndo(orderId, text) {
  undoOrder = orderId;
  undoText.textContent = text;
  undoBox.querySelector("[data-undo]").hidden = false;
  undoBox.hidden = false;
  clearTimeout(undoTimer);
  undoTimer = setTimeout(() => {
    undoBox.hidden = true;
    undoOrder = null;
  }, (config.undo_seconds || 10) * 1000);
}

document.querySelector(".xlayout").addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target) return;
  const action = target.dataset.action;
  if (action === "handover") {
    const ticket = target.closest(".xticket");
    live.send({ action: "handover", order: Number(target.dataset.order) });
    const number = ticket ? ticket.querySelector(".num").textContent : "";
    offerUndo(Number(target.dataset.order), `${number} — ${T.handedOver}`);
  } else if (action === "send_back") {
    live.send({ action: "send_back", placement: Number(target.dataset.placement) });
  } else if (action === "fire_course") {
    live.send({ action: "fire_course", order: Number(target.dataset.order) });
  }
});

undoBox.querySelector("[data-undo]").addEventListener("click", () => {
  if (undoOrder !== null) live.send({ action: "unserve", order: undoOrder });
  undoBox.hidden = true;
  undoOrder = null;
});

const testButton = document.querySelector("[data-test-voice]");
if (testButton && speaker) {
  testButton.addEventListener("click", () => {
    speaker.unblock();
    speaker.say(speechConf.test_phrase);
  });
}

// The board the page was served with: what is ready now is not news.
const initial = document.getElementById("initial-board");
place([...initial.content.children].map((el) => document.importNode(el, true)));
announce(true);
tick();
