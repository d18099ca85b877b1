// The station screen: server-rendered ticket fragments, timers in the browser.
//
// The socket (connection.js) hands over the server's board and its patches in order;
// the page keeps that board (`server`) and draws it with the actions it has made on top
// (actions.js): a bump takes the ticket off at once, a line bump strikes the line, a
// recall brings the ticket back, each marked "not sent yet" until the server has it.
// The last board is kept on the device, so a reload without the server still shows it.
// After a few seconds without the server an offline banner says how long ago the board
// was last known to be right and how many actions are waiting.

import { clockText } from "./clock.js";
import { startLive, waitingToShow } from "./actions.js";
import { createBoard } from "./board.js";
import { deviceStore, keepPageOffline } from "./device.js";
import { dishesPanel } from "./dishes.js";
import { createNotes, drawLinkState, drawOffline, markPending, refusalText } from "./marks.js";
import { createPager } from "./pages.js";

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
const pager = createPager({ board, bar: document.querySelector("[data-pager]"), T });
const clock = document.querySelector("[data-clock]");
const recallBox = document.getElementById("recall");
const recallBody = recallBox.querySelector("[data-recall-body]");
const helpBox = document.getElementById("help");

const OFFLINE_AFTER_MS = config.offline_after_ms || 3000;
const store = deviceStore("screen", `${config.screen_id}-${config.station_id}`);

// ------------------------------------------------------------------ the server's board

const serverBoard = createBoard({
  store,
  config,
  kind: "prep",
  tickets: [...board.children].map((el) => [el.dataset.key, el.outerHTML]),
  side: allDay.innerHTML,
});

let settings = config.station;
let selected = null; // key of the selected ticket (bump bar)
const lateSeen = new Set(); // tickets already late: the chime plays once per ticket
let firstTick = true;
let recallHtml = store.get("recall") || "";
const justBumped = new Map(); // order → {entry, at}: bumps done here since the list was read

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
const serverNow = () => conn.clock.now();
const notes = createNotes({ toast: document.getElementById("toast") });
const dishes = dishesPanel({ conn, actions, store, T });

function onMessage(msg) {
  switch (msg.type) {
    case "board":
    case "patch":
      if (!serverBoard.take(msg, conn.clock)) return;
      if (msg.settings) settings = msg.settings;
      if (msg.screen) applyScreenOptions(msg.screen);
      actions.boardArrived();
      draw();
      break;
    case "pong":
      serverBoard.syncedAt = Date.now();
      actions.boardArrived();
      draw();
      break;
    case "dishes":
      dishes.take(msg);
      break;
    case "recall":
      recallHtml = msg.html;
      store.set("recall", recallHtml);
      // A list read after a bump was done has it (or knows it was recalled or served).
      for (const [order, done] of justBumped) {
        if (typeof msg.t !== "number" || done.at <= msg.t) justBumped.delete(order);
      }
      if (!recallBox.hidden) drawRecall();
      break;
  }
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
  pager.layout();
}

// ------------------------------------------------------------------ drawing

// A line readied (or un-readied) here, drawn as the server would: struck, "✓ READY".
function setLine(ticket, placement, ready) {
  const line = ticket.querySelector(`.line[data-placement="${placement}"]`);
  if (!line) return null;
  line.classList.toggle("is-ready", ready);
  line.dataset.action = ready ? "line_unbump" : "line_bump";
  const tag = line.querySelector(".tag-ready");
  if (!ready) tag?.remove();
  else if (!tag) {
    const mark = document.createElement("span");
    mark.className = "tag tag-ready";
    mark.textContent = `✓ ${T.ready}`;
    const names = line.querySelectorAll(".line-body > .name, .line-body > .name-alt");
    (names[names.length - 1] || line).after(mark);
  }
  return line;
}

// A recalled ticket: the server's copy (bumped here while offline) or the last one seen
// before it left the board, with its lines cooking again.
function recalled(key, base) {
  const node = base.has(key) ? base.get(key).cloneNode(true) : serverBoard.left(key);
  if (!node) return null; // bumped before this page loaded: it comes back with the server's board
  for (const line of node.querySelectorAll(".line.is-ready")) {
    line.classList.remove("is-ready");
    line.dataset.action = "line_bump";
  }
  return node;
}

// The server's board with this screen's own actions on top, in the order they were made.
function draw() {
  const server = serverBoard.server;
  const base = serverBoard.nodes();
  const shown = new Map(base);
  const changed = new Set();
  for (const entry of actions.all()) {
    const key = entry.note.key;
    if (!key) continue;
    let node = shown.get(key) || null;
    if (node && !changed.has(key)) {
      node = node.cloneNode(true);
      changed.add(key);
    }
    if (entry.action === "ticket_bump" || (entry.action === "void_ack" && node?.classList.contains("is-cancelled"))) {
      node = null;
    } else if (entry.action === "recall" && !node) {
      node = recalled(key, base);
      if (node) changed.add(key);
    } else if (node && (entry.action === "line_bump" || entry.action === "line_unbump")) {
      const line = setLine(node, entry.data.placement, entry.action === "line_bump");
      if (line && waitingToShow(entry)) markPending(line, T.notSent, line.querySelector(".line-body") || line);
    } else if (node && entry.action === "void_ack") {
      for (const line of node.querySelectorAll(".line.void-pending.is-void")) line.remove();
      node.querySelector(".void-ack")?.remove();
    }
    if (node && waitingToShow(entry)) markPending(node, T.notSent, node.querySelector(".ticket-head") || node);
    if (node) shown.set(key, node);
    else shown.delete(key);
  }
  // The server's order (rush and VIP first, held last, oldest first within each), with
  // recalled tickets put back where they fit.
  const nodes = server.tickets.filter(([key]) => shown.has(key)).map(([key]) => shown.get(key));
  const onBoard = new Set(server.tickets.map(([key]) => key));
  const after = (a, b) =>
    Number(a.dataset.rank) > Number(b.dataset.rank) ||
    (a.dataset.rank === b.dataset.rank && Number(a.dataset.since) > Number(b.dataset.since));
  for (const [key, node] of shown) {
    if (onBoard.has(key)) continue;
    const at = nodes.findIndex((n) => after(n, node));
    nodes.splice(at < 0 ? nodes.length : at, 0, node);
  }
  board.replaceChildren(...nodes);
  if (allDay.innerHTML !== server.side) allDay.innerHTML = server.side;
  board.dataset.seq = String(server.seq);
  board.dataset.waiting = String(actions.waiting().length);
  notes.paint([board]);
  if (selected && !document.getElementById(selected)) selected = null;
  drawLinkState(linkState, conn, actions, T);
  if (!recallBox.hidden) drawRecall();
  dishes.draw();
  tick();
  // Pages are measured once the tickets have their state words (which take room).
  pager.layout();
  if (selected) pager.reveal(document.getElementById(selected));
  paintSelection();
}

function onAnswer(entry, answer) {
  if (!answer.ok) notes.add(entry.note.key, `${entry.note.label || ""} ${refusalText(answer, T)}`.trim());
  if (answer.ok && entry.action === "ticket_bump") justBumped.set(entry.data.order, { entry, at: Date.now() });
  if (answer.ok && entry.action === "recall") justBumped.delete(entry.data.order);
  // An open recall list asks again: the list it has may have been read before this.
  if (answer.ok && !recallBox.hidden && ["ticket_bump", "recall"].includes(entry.action)) askRecall();
  draw();
}


// ------------------------------------------------------------------ actions

function ticketNote(ticket) {
  return { key: ticket.dataset.key, label: ticket.querySelector(".num")?.textContent || "" };
}

function act(action, target) {
  const ticket = target.closest(".ticket");
  const note = ticket ? ticketNote(ticket) : { key: `t${target.dataset.order}`, label: "" };
  if (action === "line_bump" || action === "line_unbump") {
    actions.act(action, { placement: target.dataset.placement }, note);
  } else {
    actions.act(action, { order: target.dataset.order }, note);
  }
}

board.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || !board.contains(target)) return;
  const ticket = target.closest(".ticket");
  if (ticket) selected = ticket.dataset.key;
  act(target.dataset.action, target);
  paintSelection();
});

recallBox.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action='recall']");
  if (target) {
    recall(target);
    closeOverlays();
  } else if (event.target === recallBox) {
    closeOverlays();
  }
});
helpBox.addEventListener("click", () => closeOverlays());

function recall(item) {
  const number = item.querySelector(".num")?.textContent || "";
  actions.act("recall", { order: item.dataset.order }, { key: `t${item.dataset.order}`, label: number });
}

document.querySelector("[data-ui='recall']").addEventListener("click", openRecall);
document.querySelector("[data-ui='dishes']").addEventListener("click", openDishes);

function openDishes() {
  closeOverlays();
  dishes.open();
}
document.querySelector("[data-ui='allday']").addEventListener("click", toggleAllDay);
document.querySelector("[data-ui='help']").addEventListener("click", () => toggle(helpBox));

// The recall list: tickets this screen bumped that the server's list may not have yet
// (waiting to be sent, or done since that list was read), then the server's list (the
// last one it sent, while it cannot send a new one).
function drawRecall() {
  const mine = [];
  const seen = new Set();
  // The latest waiting bump or recall of each order; the server's list has the rest.
  for (const entry of actions.waiting().reverse()) {
    const order = entry.data.order;
    if (!order || seen.has(order) || !["ticket_bump", "recall"].includes(entry.action)) continue;
    seen.add(order);
    if (entry.action === "ticket_bump") mine.push(entry);
  }
  // Then bumps done since the list was read: without them, a ticket just bumped would
  // leave the list between its board and the list read after it.
  for (const [order, done] of justBumped) {
    if (!seen.has(order)) mine.push({ ...done.entry, done: true });
    seen.add(order);
  }
  const list = document.createElement("div");
  if (mine.length) {
    const ol = document.createElement("ol");
    ol.className = "recall-list recall-waiting";
    for (const entry of mine) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = entry.done ? "recall-item" : "recall-item is-pending";
      button.dataset.action = "recall";
      button.dataset.order = entry.data.order;
      const num = document.createElement("span");
      num.className = "num";
      num.textContent = entry.note.label;
      button.append(document.createElement("span"), num);
      if (!entry.done) {
        const mark = document.createElement("span");
        mark.className = "pending-mark";
        mark.textContent = `◷ ${T.notSent}`;
        button.append(mark);
      }
      button.firstChild.className = "recall-key";
      li.append(button);
      ol.append(li);
    }
    list.append(ol);
  }
  const fromServer = document.createElement("template");
  fromServer.innerHTML = recallHtml;
  for (const item of fromServer.content.querySelectorAll("[data-action='recall']")) {
    if (seen.has(item.dataset.order)) item.closest("li")?.remove();
  }
  list.append(fromServer.content);
  if (!mine.length && !recallHtml) list.innerHTML = "<p class='empty'>…</p>";
  recallBody.replaceChildren(list);
  recallBody.querySelectorAll(".recall-key").forEach((el, i) => {
    el.textContent = String(i + 1);
  });
}

function openRecall() {
  helpBox.hidden = true;
  recallBox.hidden = false;
  drawRecall();
  askRecall();
}

// The server's list; its answer carries `t`, so it is known to have been read after
// every bump done before then.
function askRecall() {
  conn.send({ action: "recall_list", t: Date.now() });
}

// On a narrow screen the all-day panel is folded away and opens over the board.
const narrow = window.matchMedia("(max-width: 1100px)");
function toggleAllDay() {
  if (narrow.matches) document.body.classList.toggle("all-day-open");
  else document.body.classList.toggle("show-all-day");
  pager.layout();
}

function toggle(box) {
  const open = box.hidden;
  closeOverlays();
  box.hidden = !open;
}

function closeOverlays() {
  recallBox.hidden = true;
  helpBox.hidden = true;
  dishes.close();
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
  pager.reveal(all[index]);
  paintSelection();
}

// The selected ticket, else the first one in sight.
function selectedTicket() {
  return (selected && document.getElementById(selected)) || pager.onPage()[0] || null;
}

// A page key: the selection (if any) moves to the first ticket of the page shown.
function turnPage(turn) {
  if (!turn()) return;
  if (selected) selected = pager.onPage()[0]?.dataset.key || null;
  paintSelection();
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key;
  if (dishes.key(key)) {
    event.preventDefault();
    return;
  }
  if (!recallBox.hidden && /^[1-9]$/.test(key)) {
    const item = recallBody.querySelectorAll("[data-action='recall']")[Number(key) - 1];
    if (item) {
      recall(item);
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
    case "PageDown":
    case "3":
      turnPage(pager.next);
      break;
    case "PageUp":
    case "9":
      turnPage(pager.previous);
      break;
    case "Home":
    case "1":
      turnPage(pager.first);
      break;
    case "End":
      turnPage(pager.last);
      break;
    case "Enter":
    case "5": {
      const ticket = selectedTicket();
      if (ticket) {
        const head = ticket.querySelector(".ticket-head");
        moveSelection(1);
        act(head.dataset.action, head);
      }
      break;
    }
    case "v":
    case "V":
    case "7": {
      const ticket = selectedTicket();
      if (ticket) act("void_ack", ticket);
      break;
    }
    case "r":
    case "R":
    case "0":
      if (recallBox.hidden) openRecall();
      else closeOverlays();
      break;
    case "s":
    case "S":
    case "8":
      openDishes();
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

// Returns whether a ticket's state changed (its words, so perhaps its size).
function tick() {
  const now = serverNow();
  let late = 0;
  let reshaped = false;
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
      reshaped = true;
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
  // What the other pages hide, so none is forgotten.
  pager.summarise();
  clock.textContent = clockText(now, config.clock);

  // Offline: say so, loudly, with how long ago the board was last known right and what
  // is waiting to be sent.
  const syncedAt = serverBoard.syncedAt;
  if (drawOffline({ banner: offline, conn, syncedAt, actions, T, afterMs: OFFLINE_AFTER_MS })) {
    offlineSince.textContent = mmss(Date.now() - syncedAt);
  }
  return reshaped;
}

setInterval(() => {
  if (tick()) pager.layout();
}, 500);
document.fonts?.ready.then(() => pager.layout());
draw();
keepPageOffline();
