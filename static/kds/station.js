// The station screen: one WebSocket, server-rendered ticket fragments, timers in the browser.
//
// The server sends the whole board on connect and patches after that; each carries the
// station's sequence number and a patch names the seq it builds on. A patch that does
// not build on what this screen holds makes it ask for the whole board. The socket
// reconnects by itself, with back-off, forever; after a few seconds without it an
// offline banner shows how long ago the board was last known to be right.

import { boardAssembler } from "./parts.js";

const config = JSON.parse(document.getElementById("kds-config").textContent);
const T = JSON.parse(document.getElementById("kds-strings").textContent);

const board = document.getElementById("board");
const allDay = document.getElementById("allday");
const offline = document.getElementById("offline");
const offlineSince = offline.querySelector("[data-offline-since]");
const linkState = document.querySelector("[data-link-state]");
const lateBox = document.querySelector("[data-late-count-box]");
const lateCount = document.querySelector("[data-late-count]");
const openCount = document.querySelector("[data-open-count]");
const emptyNote = document.querySelector("[data-empty]");
const more = document.querySelector("[data-more]");
const moreCount = document.querySelector("[data-more-count]");
const clock = document.querySelector("[data-clock]");
const recallBox = document.getElementById("recall");
const recallBody = recallBox.querySelector("[data-recall-body]");
const helpBox = document.getElementById("help");

const OFFLINE_AFTER_MS = config.offline_after_ms || 3000;
const SYNC_EVERY_MS = 5000;
const DEAD_AFTER_MS = 12000;

let seq = config.seq;
let skew = config.now - Date.now(); // server clock minus ours
let lastSyncedAt = Date.now(); // when the board was last known to be in step
let ws = null;
let connected = false; // holds a board in step with the server
let attempt = 0;
let lastMessageAt = 0;
let reconnectTimer = null;
let settings = config.station;
let selected = null; // key of the selected ticket (bump bar)
const lateSeen = new Set(); // tickets already late: the chime plays once per ticket
let firstTick = true;

const serverNow = () => Date.now() + skew;

// ------------------------------------------------------------------ board updates

function fragment(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  return tpl.content.firstElementChild;
}

function applyBoard(msg) {
  const nodes = msg.tickets.map(([, html]) => fragment(html));
  board.replaceChildren(...nodes);
  allDay.innerHTML = msg.all_day;
  afterUpdate(msg);
}

function applyPatch(msg) {
  if (msg.base !== seq) {
    // We missed something: ask for the whole board rather than guess.
    send({ action: "resync" });
    return;
  }
  const existing = new Map([...board.children].map((el) => [el.dataset.key, el]));
  for (const [key, html] of msg.upsert) existing.set(key, fragment(html));
  board.replaceChildren(...msg.order.map((key) => existing.get(key)).filter(Boolean));
  if (msg.all_day !== null) allDay.innerHTML = msg.all_day;
  afterUpdate(msg);
}

function afterUpdate(msg) {
  seq = msg.seq;
  board.dataset.seq = String(seq);
  if (msg.settings) settings = msg.settings;
  if (msg.screen) applyScreenOptions(msg.screen);
  if (typeof msg.now === "number") skew = msg.now - Date.now();
  markSynced();
  if (selected && !document.getElementById(selected)) selected = null;
  paintSelection();
  tick();
}

let shownAllDay = null;
function applyScreenOptions(options) {
  for (const size of ["m", "l", "xl"]) {
    document.body.classList.toggle(`font-${size}`, options.font_size === size);
  }
  // The admin's choice wins when it changes; a local toggle (key A) lasts until then.
  if (options.show_all_day !== shownAllDay) {
    shownAllDay = options.show_all_day;
    document.body.classList.toggle("show-all-day", Boolean(options.show_all_day));
  }
}

function markSynced() {
  connected = true;
  lastSyncedAt = Date.now();
  offline.hidden = true;
  document.body.classList.remove("is-offline");
  linkState.textContent = "● " + T.online;
  linkState.className = "link-state is-online";
}

// ------------------------------------------------------------------ the socket

function wsUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${config.ws_path}`;
}

function connect() {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  linkState.textContent = "◌ " + T.connecting;
  linkState.className = "link-state is-connecting";
  let socket;
  try {
    socket = new WebSocket(wsUrl());
  } catch (err) {
    scheduleReconnect();
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
    onMessage(msg);
  };
  socket.onclose = (event) => {
    if (socket !== ws) return;
    ws = null;
    connected = false;
    if (event.code === 4001 || event.code === 4002 || event.code === 4003) {
      // Not (or no longer) paired, or moved to another station: the page knows what to show.
      location.reload();
      return;
    }
    scheduleReconnect();
  };
  socket.onerror = () => {
    /* onclose follows */
  };
}

function scheduleReconnect() {
  if (reconnectTimer) return;
  linkState.textContent = "○ " + T.offline;
  linkState.className = "link-state is-offline";
  // 0.5 s, 1 s, 2 s … up to 5 s, with jitter so a kitchen of screens does not stampede.
  const base = Math.min(5000, 500 * 2 ** Math.min(attempt, 4));
  attempt += 1;
  reconnectTimer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
}

function send(message) {
  if (ws && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify(message));
    return true;
  }
  return false;
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
      if (typeof msg.t === "number") {
        // The server's clock at the midpoint of the round trip.
        skew = msg.now - (msg.t + Date.now()) / 2;
      }
      if (msg.seq !== seq) send({ action: "resync" });
      else markSynced();
      break;
    case "recall":
      recallBody.innerHTML = msg.html;
      break;
    case "result":
      if (!msg.ok) flash(T.refused);
      break;
    case "unpaired":
      break;
  }
}

// Every few seconds: ask whether we are in step (also measures the clock skew), and
// treat a silent socket as dead, since a lost network does not always close it.
setInterval(() => {
  if (ws && ws.readyState === WebSocket.OPEN) {
    if (Date.now() - lastMessageAt > DEAD_AFTER_MS) {
      const dead = ws;
      ws = null;
      connected = false;
      dead.onclose = null;
      dead.close();
      scheduleReconnect();
      return;
    }
    send({ action: "sync", seq, t: Date.now() });
  }
}, SYNC_EVERY_MS);

// ------------------------------------------------------------------ actions

async function act(action, data) {
  const message = { action, ...data };
  if (send(message)) return;
  // The socket is reconnecting: the same action over HTTP.
  const body = new URLSearchParams({ action, ...data });
  try {
    const response = await fetch(config.action_url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": config.csrf_token },
      credentials: "same-origin",
    });
    if (!response.ok) flash(T.refused);
  } catch (err) {
    flash(T.offline);
  }
}

board.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || !board.contains(target)) return;
  const ticket = target.closest(".ticket");
  if (ticket) selected = ticket.dataset.key;
  const action = target.dataset.action;
  if (action === "line_bump" || action === "line_unbump") {
    act(action, { placement: target.dataset.placement });
  } else {
    act(action, { order: target.dataset.order });
  }
  paintSelection();
});

recallBox.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action='recall']");
  if (target) {
    act("recall", { order: target.dataset.order });
    closeOverlays();
  } else if (event.target === recallBox) {
    closeOverlays();
  }
});
helpBox.addEventListener("click", () => closeOverlays());

document.querySelector("[data-ui='recall']").addEventListener("click", openRecall);
document.querySelector("[data-ui='allday']").addEventListener("click", toggleAllDay);
document.querySelector("[data-ui='help']").addEventListener("click", () => toggle(helpBox));

function openRecall() {
  recallBody.innerHTML = "<p class='empty'>…</p>";
  helpBox.hidden = true;
  recallBox.hidden = false;
  send({ action: "recall_list" });
}

function toggleAllDay() {
  document.body.classList.toggle("show-all-day");
}

function toggle(box) {
  const open = box.hidden;
  closeOverlays();
  box.hidden = !open;
}

function closeOverlays() {
  recallBox.hidden = true;
  helpBox.hidden = true;
}

let flashTimer = null;
function flash(text) {
  linkState.textContent = "⚠ " + text;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => {
    if (connected) markSynced();
  }, 2500);
}

// ------------------------------------------------------------------ bump bar

function tickets() {
  return [...board.querySelectorAll(".ticket")];
}

function paintSelection() {
  for (const el of board.querySelectorAll(".ticket.is-selected")) el.classList.remove("is-selected");
  if (selected) document.getElementById(selected)?.classList.add("is-selected");
}

function moveSelection(step) {
  const all = tickets();
  if (!all.length) return;
  let index = all.findIndex((el) => el.dataset.key === selected);
  index = index < 0 ? (step > 0 ? 0 : all.length - 1) : (index + step + all.length) % all.length;
  selected = all[index].dataset.key;
  paintSelection();
  all[index].scrollIntoView({ block: "nearest", inline: "nearest" });
}

function selectedTicket() {
  return selected ? document.getElementById(selected) : tickets()[0] || null;
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key;
  if (!recallBox.hidden && /^[1-9]$/.test(key)) {
    const item = recallBody.querySelectorAll("[data-action='recall']")[Number(key) - 1];
    if (item) {
      act("recall", { order: item.dataset.order });
      closeOverlays();
    }
    event.preventDefault();
    return;
  }
  switch (key) {
    case "ArrowRight":
    case "ArrowDown":
    case "6":
      moveSelection(1);
      break;
    case "ArrowLeft":
    case "ArrowUp":
    case "4":
      moveSelection(-1);
      break;
    case "Enter":
    case "5": {
      const ticket = selectedTicket();
      if (ticket) {
        const head = ticket.querySelector(".ticket-head");
        act(head.dataset.action, { order: ticket.dataset.order });
        moveSelection(1);
      }
      break;
    }
    case "v":
    case "V":
    case "7": {
      const ticket = selectedTicket();
      if (ticket) act("void_ack", { order: ticket.dataset.order });
      break;
    }
    case "r":
    case "R":
    case "0":
      if (recallBox.hidden) openRecall();
      else closeOverlays();
      break;
    case "a":
    case "A":
    case ".":
      toggleAllDay();
      break;
    case "?":
    case "h":
    case "H":
      toggle(helpBox);
      break;
    case "Escape":
      closeOverlays();
      selected = null;
      paintSelection();
      break;
    default:
      return;
  }
  event.preventDefault();
});

// ------------------------------------------------------------------ timers and the chime

function mmss(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

let audio = null;
function chime() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const t0 = audio.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.4, t0 + i * 0.25 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.25 + 0.5);
      osc.connect(gain).connect(audio.destination);
      osc.start(t0 + i * 0.25);
      osc.stop(t0 + i * 0.25 + 0.55);
    }
    document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
  } catch (err) {
    /* no audio: the red pulse and the count still show */
  }
}
// Browsers allow sound after a first touch or key press.
document.addEventListener("pointerdown", () => audio?.resume?.(), { once: true });

function tick() {
  const now = serverNow();
  let late = 0;
  let crossed = false;
  const all = tickets();
  for (const el of all) {
    const age = now - Number(el.dataset.since);
    const warn = Number(el.dataset.warn) * 1000;
    const lateAt = Number(el.dataset.late) * 1000;
    const held = el.classList.contains("is-held");
    const cancelled = el.classList.contains("is-cancelled");
    let state = cancelled ? "cancelled" : held ? "held" : "ok";
    if (state === "ok" && age >= lateAt) state = "late";
    else if (state === "ok" && age >= warn) state = "warning";
    const ageEl = el.querySelector("[data-age]");
    const text = held ? "--:--" : mmss(age);
    if (ageEl.textContent !== text) ageEl.textContent = text;
    if (el.dataset.state !== state) {
      el.dataset.state = state;
      el.classList.toggle("state-ok", state === "ok");
      el.classList.toggle("state-warning", state === "warning");
      el.classList.toggle("state-late", state === "late");
      const cue = el.querySelector("[data-cue]");
      cue.textContent = {
        late: "✖ " + T.late,
        warning: "▲ " + T.warning,
        held: "◷ " + T.held,
        cancelled: "✖",
        ok: "● " + T.onTime,
      }[state];
    }
    if (state === "late") {
      late += 1;
      if (!lateSeen.has(el.dataset.key)) {
        lateSeen.add(el.dataset.key);
        if (!firstTick) crossed = true;
      }
    }
  }
  // Held lines due at a set time count down to it ("starts in m:ss").
  for (const el of document.querySelectorAll("[data-starts]")) {
    const text = mmss(Math.max(0, Number(el.dataset.starts) - now));
    if (el.textContent !== text) el.textContent = text;
  }
  firstTick = false;
  if (crossed) chime();
  lateCount.textContent = String(late);
  lateBox.hidden = late === 0;
  openCount.textContent = String(all.length);
  emptyNote.hidden = all.length > 0;
  // Tickets that flowed past the right edge: say how many, so none is forgotten.
  const edge = board.getBoundingClientRect().right;
  const hiddenRight = all.filter((el) => el.getBoundingClientRect().left >= edge - 4).length;
  moreCount.textContent = String(hiddenRight);
  more.hidden = hiddenRight === 0;
  clock.textContent = new Date(now).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });

  // Offline: say so, loudly, with how long ago the board was last known right.
  const down = !connected && Date.now() - lastSyncedAt > OFFLINE_AFTER_MS;
  if (down) {
    offlineSince.textContent = mmss(Date.now() - lastSyncedAt);
    offline.hidden = false;
    document.body.classList.add("is-offline");
  }
}

setInterval(tick, 500);
tick();
connect();
