// Pages, not a sideways strip: the station's board shows as many whole tickets as fit,
// then "Page 1/12" with previous and next buttons (and the bump bar's page keys), and
// says what the other pages hide ("+7: 1 RUSH · 3 LATE"), so nothing urgent is out of
// sight unannounced.
//
// The tickets flow down CSS columns. Each is given the page its column falls on, with
// every ticket laid out; then only the current page's are shown. A page starts at the
// top of a column, so its tickets flow back into the same columns they were measured in.

export function createPager({ board, bar, T }) {
  const label = bar.querySelector("[data-page-label]");
  const prev = bar.querySelector("[data-page='prev']");
  const next = bar.querySelector("[data-page='next']");
  const more = bar.querySelector("[data-more]");
  let page = 0;
  let count = 1;

  const tickets = () => [...board.querySelectorAll(":scope > .ticket")];

  function layout() {
    const all = tickets();
    for (const el of all) el.classList.remove("off-page");
    let last = 0;
    if (all.length) {
      board.scrollLeft = 0;
      const style = getComputedStyle(board);
      const gap = parseFloat(style.columnGap) || 0;
      const padLeft = parseFloat(style.paddingLeft) || 0;
      const inner = board.clientWidth - padLeft - (parseFloat(style.paddingRight) || 0);
      const left = board.getBoundingClientRect().left + board.clientLeft + padLeft;
      const pitch = all[0].getBoundingClientRect().width + gap;
      const perPage = Math.max(1, Math.floor((inner + gap + 1) / pitch));
      for (const el of all) {
        const column = Math.max(0, Math.round((el.getBoundingClientRect().left - left) / pitch));
        const at = Math.floor(column / perPage);
        el.dataset.page = String(at);
        last = Math.max(last, at);
      }
    }
    count = last + 1;
    page = Math.min(page, count - 1);
    show();
  }

  function show() {
    for (const el of tickets()) el.classList.toggle("off-page", Number(el.dataset.page) !== page);
    board.dataset.page = String(page + 1);
    board.dataset.pages = String(count);
    bar.hidden = count < 2;
    label.textContent = T.page.replace("{n}", String(page + 1)).replace("{m}", String(count));
    prev.disabled = page === 0;
    next.disabled = page >= count - 1;
    summarise();
  }

  function go(to) {
    const want = Math.max(0, Math.min(count - 1, to));
    if (want === page) return false;
    page = want;
    show();
    return true;
  }

  // What the other pages hide, the urgent first: "+7: 1 RUSH · 3 LATE".
  function summarise() {
    const hidden = tickets().filter((el) => el.classList.contains("off-page"));
    if (!hidden.length) {
      more.hidden = true;
      return;
    }
    const n = (selector) => hidden.filter((el) => el.matches(selector)).length;
    const parts = [
      [n(".prio-rush"), T.rush],
      [n(".prio-vip"), T.vip],
      [n(".state-late"), T.late],
      [n(".has-void"), T.void],
    ]
      .filter(([k]) => k > 0)
      .map(([k, word]) => `${k} ${word}`);
    const text = `+${hidden.length}${parts.length ? `: ${parts.join(" · ")}` : ""}`;
    if (more.textContent !== text) more.textContent = text;
    more.classList.toggle("is-urgent", parts.length > 0);
    more.hidden = false;
  }

  prev.addEventListener("click", () => go(page - 1));
  next.addEventListener("click", () => go(page + 1));
  more.addEventListener("click", () => go(page + 1 < count ? page + 1 : 0));
  window.addEventListener("resize", layout);

  return {
    layout,
    summarise,
    next: () => go(page + 1),
    previous: () => go(page - 1),
    first: () => go(0),
    last: () => go(count - 1),
    // The page a ticket is on comes into view (a bump bar's selection moved to it).
    reveal(el) {
      if (el?.dataset.page !== undefined) go(Number(el.dataset.page));
    },
    onPage: () => tickets().filter((el) => !el.classList.contains("off-page")),
    get page() {
      return page;
    },
    get count() {
      return count;
    },
  };
}
