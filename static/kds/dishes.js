// 86 from the line: the panel listing the dishes this screen's station cooks, sold out
// first (the server sends them: {"type": "dishes"} when the panel opens and whenever a
// dish is 86'd or back, by any screen or the admin, orders/boards/dishes.py). A tap on a
// dish asks first; "yes" sends dish_86 or dish_back through actions.js (socket, else
// HTTP, else it waits on the device), and the board redraws with every ticket of that
// dish flagged "86".
//
// Bump bar: the page opens it (S or 8), then a dish's number chooses it, Enter confirms,
// Esc goes back or closes.

import { showDone } from "./marks.js";

// The page's panel (#dishes, templates/orders/dishes_overlay.html); what a confirmed
// action did is said in the page's #toast.
export function dishesPanel({ conn, actions, store, T }) {
  const toast = document.getElementById("toast");
  const box = document.getElementById("dishes");
  return createDishes({ box, conn, actions, store, T, onDone: (text) => showDone(toast, text) });
}

export function createDishes({ box, conn, actions, store, T, onDone }) {
  const list = box.querySelector("[data-dishes-list]");
  const confirmBox = box.querySelector("[data-dishes-confirm]");
  const question = box.querySelector("[data-dishes-question]");
  const effect = box.querySelector("[data-dishes-effect]");
  const yes = box.querySelector("[data-dishes-yes]");
  let dishes = store.get("dishes") || [];
  let chosen = null;

  // A dish action not answered yet shows its dish as it will be, marked not sent yet.
  function shown() {
    const waiting = new Map();
    for (const entry of actions.waiting()) {
      if (entry.action === "dish_86" || entry.action === "dish_back") waiting.set(String(entry.data.item), entry);
    }
    return dishes.map((d) => {
      const entry = waiting.get(String(d.id));
      return entry ? { ...d, available: entry.action === "dish_back", waiting: true } : d;
    });
  }

  function draw() {
    if (box.hidden) return;
    confirmBox.hidden = !chosen;
    list.hidden = Boolean(chosen);
    if (chosen) {
      const sellOut = chosen.available;
      question.textContent = (sellOut ? T.dishes.ask86 : T.dishes.askBack).replace("{dish}", chosen.name);
      effect.textContent = sellOut ? T.dishes.effect86 : T.dishes.effectBack;
      yes.textContent = sellOut ? T.dishes.yes86 : T.dishes.yesBack;
      yes.className = sellOut ? "dish-yes is-86" : "dish-yes is-back";
      return;
    }
    const all = shown();
    if (!all.length) {
      list.innerHTML = "";
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = T.dishes.none;
      list.append(empty);
      return;
    }
    const grid = document.createElement("ol");
    grid.className = "dish-list";
    all.forEach((dish, i) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = `dish${dish.available ? "" : " is-86"}${dish.waiting ? " is-pending" : ""}`;
      button.dataset.item = String(dish.id);
      const key = document.createElement("span");
      key.className = "dish-key";
      key.textContent = i < 9 ? String(i + 1) : "";
      const name = document.createElement("span");
      name.className = "dish-name";
      name.textContent = dish.name;
      const state = document.createElement("span");
      state.className = "dish-state";
      state.textContent = dish.available ? T.dishes.available : `86 ${T.dishes.soldOut}`;
      button.append(key, name, state);
      if (dish.waiting) {
        const mark = document.createElement("span");
        mark.className = "pending-mark";
        mark.textContent = `◷ ${T.notSent}`;
        button.append(mark);
      }
      li.append(button);
      grid.append(li);
    });
    list.replaceChildren(grid);
  }

  function choose(id) {
    chosen = shown().find((d) => String(d.id) === String(id)) || null;
    draw();
  }

  function confirm() {
    if (!chosen) return;
    const action = chosen.available ? "dish_86" : "dish_back";
    actions.act(action, { item: chosen.id }, { label: chosen.name });
    const done = (chosen.available ? T.dishes.done86 : T.dishes.doneBack).replace("{dish}", chosen.name);
    close();
    onDone(done);
  }

  function open() {
    chosen = null;
    box.hidden = false;
    draw();
    conn.send({ action: "dishes" });
  }

  function close() {
    chosen = null;
    box.hidden = true;
  }

  box.addEventListener("click", (event) => {
    const dish = event.target.closest(".dish");
    if (dish) choose(dish.dataset.item);
    else if (event.target.closest("[data-dishes-yes]")) confirm();
    else if (event.target.closest("[data-dishes-no]")) choose(null);
    else if (event.target === box) close();
  });

  return {
    open,
    close,
    isOpen: () => !box.hidden,
    draw,
    take(msg) {
      dishes = msg.dishes;
      store.set("dishes", dishes);
      // Changed elsewhere while a question is open: ask about the dish as it is now.
      if (chosen) chosen = shown().find((d) => String(d.id) === String(chosen.id)) || null;
      draw();
    },
    // A key while the panel is open; true when it was the panel's.
    key(key) {
      if (box.hidden) return false;
      if (key === "Escape") {
        if (chosen) choose(null);
        else close();
      } else if (chosen && (key === "Enter" || key === "5")) {
        confirm();
      } else if (!chosen && /^[1-9]$/.test(key)) {
        const button = list.querySelectorAll(".dish")[Number(key) - 1];
        if (button) choose(button.dataset.item);
      } else if (key === "8" || key === "s" || key === "S") {
        close();
      }
      return true;
    },
  };
}
