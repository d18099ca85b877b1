// Front of house: ready orders by table. Tap a dish or "All served"; undo for a few seconds.
// The list is re-rendered by the server on every change and pushed whole.

import { connectLive, formatAge } from "./live.js";

const config = JSON.parse(document.getElementById("kds-config").textContent);
const T = JSON.parse(document.getElementById("kds-strings").textContent);
const root = document.getElementById("foh");
const linkState = document.querySelector("[data-link-state]");
const clock = document.querySelector("[data-clock]");
const undoBox = document.getElementById("undo");
const undoText = undoBox.querySelector("[data-undo-text]");
const undoButton = undoBox.querySelector("[data-undo]");
let skew = config.now - Date.now();
let undoOrder = null;
let undoTimer = null;

function onMessage(msg) {
  if (msg.type !== "foh") return;
  const open = root.querySelector("details.foh-history")?.open;
  root.innerHTML = msg.html;
  if (open) root.querySelector("details.foh-history").open = true;
  tick();
}

function onState(state) {
  linkState.className = `link-state is-${state}`;
  linkState.textContent =
    state === "online" ? `● ${T.online}` : state === "connecting" ? `◌ ${T.connecting}` : `○ ${T.offline}`;
}

const live = connectLive({
  path: config.ws_path,
  onMessage,
  onState,
  syncEvery: 10000,
  sync: () => ({ action: "refresh" }),
});

async function post(data) {
  const body = new URLSearchParams({ r: config.restaurant, ...data });
  try {
    const response = await fetch(config.action_url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": config.csrf_token },
      credentials: "same-origin",
    });
    return response.ok;
  } catch (err) {
    return false;
  }
}

function showUndo(orderId, text) {
  undoOrder = orderId;
  undoText.textContent = text;
  undoButton.hidden = false;
  undoBox.hidden = false;
  clearTimeout(undoTimer);
  undoTimer = setTimeout(() => {
    undoBox.hidden = true;
    undoOrder = null;
  }, (config.undo_seconds || 10) * 1000 - 500);
}

function flash(text) {
  undoText.textContent = text;
  undoButton.hidden = true;
  undoBox.hidden = false;
  clearTimeout(undoTimer);
  undoTimer = setTimeout(() => {
    undoBox.hidden = true;
  }, 2500);
}

root.addEventListener("click", async (event) => {
  const target = event.target.closest("[data-action]");
  if (!target || target.disabled) return;
  const card = target.closest(".foh-card");
  const number = card ? `#${card.dataset.number}` : "";
  const data = { action: target.dataset.action, order: target.dataset.order };
  if (target.dataset.line) data.line = target.dataset.line;
  target.disabled = true;
  const ok = await post(data);
  if (ok) {
    const what = target.dataset.line ? target.querySelector(".name").textContent : number;
    showUndo(target.dataset.order, `${what} — ${T.served}`);
  } else {
    target.disabled = false;
    flash(T.refused);
  }
  live.send({ action: "refresh" });
});

undoButton.addEventListener("click", async () => {
  if (undoOrder === null) return;
  const order = undoOrder;
  undoOrder = null;
  undoBox.hidden = true;
  if (!(await post({ action: "undo", order }))) flash(T.refused);
  live.send({ action: "refresh" });
});

function tick() {
  const now = Date.now() + skew;
  for (const card of root.querySelectorAll(".foh-card")) {
    const el = card.querySelector("[data-wait]");
    if (el) el.textContent = formatAge((now - Number(card.dataset.ready)) / 1000);
  }
  clock.textContent = new Date(now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
setInterval(tick, 1000);
tick();
