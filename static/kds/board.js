// The board a station or expo page holds: the server's tickets (key and HTML, in the
// server's order) and its side panel, as the last board or patch left them.
//
// It starts from the page's own HTML, or from the board kept on the device when that is
// newer (the page came from the Service Worker's cache while the server is away). Every
// board the server sends is kept on the device (at most every two seconds). Tickets that
// leave are remembered, so an undo or a recall made offline can put them back.

import { reloadPage } from "./connection.js";

export function createBoard({ store, config, tickets, side, kind }) {
  let server = {
    seq: config.seq,
    now: config.now,
    skew: config.now - Date.now(),
    tickets,
    side,
  };
  const kept = store.get("board");
  if (kept && kept.now > server.now && Array.isArray(kept.tickets)) server = kept;
  const parsed = new Map(); // key → {html, node}: each fragment parsed once
  const gone = new Map(); // key → HTML of tickets that left the board
  let keepTimer = null;

  const state = {
    get server() {
      return server;
    },
    // Local ms when the board was last known to be the server's.
    syncedAt: server.now - server.skew,

    // A board or an in-step patch from connection.js. A board for another station (the
    // screen was moved while its socket was down) or kind reloads the page.
    take(msg, clock) {
      if (msg.type === "board") {
        const expo = Boolean(msg.settings && msg.settings.kind === "expo");
        if ((msg.station !== undefined && msg.station !== config.station_id) || expo !== (kind === "expo")) {
          reloadPage();
          return false;
        }
      }
      let next = msg.tickets;
      if (msg.type === "patch") {
        const html = new Map(server.tickets);
        for (const [key, fragment] of msg.upsert) html.set(key, fragment);
        next = msg.order.filter((key) => html.has(key)).map((key) => [key, html.get(key)]);
      }
      for (const [key, html] of server.tickets) gone.set(key, html);
      for (const [key] of next) gone.delete(key);
      const panel = msg.all_day === null || msg.all_day === undefined ? server.side : msg.all_day;
      server = { seq: msg.seq, now: clock.now(), skew: clock.skew, tickets: next, side: panel };
      state.syncedAt = Date.now();
      if (!keepTimer) {
        keepTimer = setTimeout(() => {
          keepTimer = null;
          store.set("board", server);
        }, 2000);
      }
      return true;
    },

    // The ticket's node, parsed once per HTML; callers that change it clone it first.
    node(key, html) {
      const hit = parsed.get(key);
      if (hit && hit.html === html) return hit.node;
      const tpl = document.createElement("template");
      tpl.innerHTML = html;
      const node = tpl.content.firstElementChild;
      parsed.set(key, { html, node });
      return node;
    },

    // A copy of a ticket that left the board, or null.
    left(key) {
      const html = gone.get(key);
      return html ? state.node(key, html).cloneNode(true) : null;
    },

    // key → node of the server's tickets, in order, for a page to draw over.
    nodes() {
      return new Map(server.tickets.map(([key, html]) => [key, state.node(key, html)]));
    },
  };
  return state;
}
