// The pick-up board: numbers move from "preparing" to "ready" and are called out.
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
  overlay: document.getElementById("sound-overlay"),
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

function onMessage(msg) {
  if (msg.type !== "pickup") return;
  const fresh = new Set([...root.querySelectorAll("[data-ready] li.is-new")].map((li) => li.dataset.key));
  root.innerHTML = msg.html;
  for (const li of root.querySelectorAll("[data-ready] li[data-key]")) {
    if (fresh.has(li.dataset.key)) li.classList.add("is-new");
  }
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

callOut(true);
