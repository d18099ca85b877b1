// The pick-up board: numbers move from "preparing" to "ready" and are called out.
// A column never cuts numbers silently: they shrink to fit, and past the smallest size
// they page (every few seconds), the header saying how many the other pages hold. The
// board is for customers: a browser that blocks sound is told to staff in the footer,
// never by a prompt across the board.
// A number is called (config.speech.repeat times) the first time its ready key is
// seen after the page loaded; numbers already ready at load are not called again.

import { connect, showLinkState } from "./connection.js";
import { createSpeaker } from "./speech.js";

const config = JSON.parse(document.getElementById("kds-config").textContent);
const T = JSON.parse(document.getElementById("kds-strings").textContent);
const root = document.getElementById("pickup");
const linkState = document.querySelector("[data-link-state]");
const speech = config.speech;
const called = new Set();

const speaker = createSpeaker({
  lang: speech.lang,
  voice: speech.voice,
  rate: speech.rate,
  volume: speech.volume,
  chime: speech.chime,
  overlay: null,
  server: speech.server,
});
window.kdsSpeaker = speaker;

function callOut(silent) {
  for (const li of root.querySelectorAll("[data-ready] li[data-key]")) {
    const key = li.dataset.key;
    if (called.has(key)) continue;
    called.add(key);
    if (silent) continue;
    li.classList.add("is-new");
    for (let i = 0; i < speech.repeat; i += 1) speaker.say(li.dataset.say);
  }
}

// ------------------------------------------------------------------ fitting

const SIZES = [1, 0.85, 0.72, 0.6, 0.5]; // of each column's full size
const PAGE_MS = 6000;
const pages = new Map(); // column ("ready" | "preparing") → the page shown

function fit() {
  for (const ol of root.querySelectorAll(".pickup-numbers")) {
    // The note in the header can take a line of its own: measure again once it shows.
    const height = ol.clientHeight;
    fitColumn(ol);
    if (ol.clientHeight !== height) fitColumn(ol);
  }
}

function fitColumn(ol) {
  const items = [...ol.children];
  for (const li of items) li.hidden = false;
  let fits = false;
  for (const size of SIZES) {
    ol.style.setProperty("--fit", String(size));
    if (ol.scrollHeight <= ol.clientHeight + 1) {
      fits = true;
      break;
    }
  }
  const column = ol.dataset.ready !== undefined ? "ready" : "preparing";
  const note = ol.closest(".pickup-col").querySelector("[data-more]");
  ol.dataset.pages = "1";
  if (fits || !items.length) {
    note.hidden = true;
    return;
  }
  // At the smallest size: as many whole numbers as the column shows make a page.
  const bottom = ol.getBoundingClientRect().bottom - parseFloat(getComputedStyle(ol).paddingBottom);
  const perPage = Math.max(1, items.filter((li) => li.getBoundingClientRect().bottom <= bottom + 1).length);
  const count = Math.ceil(items.length / perPage);
  const page = (pages.get(column) || 0) % count;
  pages.set(column, page);
  items.forEach((li, i) => {
    li.hidden = Math.floor(i / perPage) !== page;
  });
  ol.dataset.pages = String(count);
  ol.dataset.page = String(page + 1);
  const hidden = items.length - Math.min(perPage, items.length - page * perPage);
  note.textContent = `${T.more.replace("{n}", String(hidden))} · ${T.page.replace("{n}", String(page + 1)).replace("{m}", String(count))}`;
  note.hidden = false;
}

setInterval(() => {
  for (const ol of root.querySelectorAll(".pickup-numbers")) {
    const column = ol.dataset.ready !== undefined ? "ready" : "preparing";
    if (Number(ol.dataset.pages) > 1) pages.set(column, (pages.get(column) || 0) + 1);
  }
  fit();
}, PAGE_MS);
window.addEventListener("resize", fit);
document.fonts?.ready.then(fit);

function onMessage(msg) {
  if (msg.type !== "pickup") return;
  const fresh = new Set([...root.querySelectorAll("[data-ready] li.is-new")].map((li) => li.dataset.key));
  root.innerHTML = msg.html;
  for (const li of root.querySelectorAll("[data-ready] li[data-key]")) {
    if (fresh.has(li.dataset.key)) li.classList.add("is-new");
  }
  fit();
  callOut(false);
}

connect({
  path: config.ws_path,
  syncEvery: 10000,
  onMessage,
  onState: (state) => showLinkState(linkState, state, T),
});

document.querySelector("[data-test-voice]").addEventListener("click", () => {
  speaker.unblock();
  speaker.say(speech.test_phrase);
});

fit();
callOut(true);
