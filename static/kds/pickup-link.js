// A pick-up board's link is /pickup/#<code>. The #fragment never leaves the browser, so
// the code reaches the server only in this form's POST body (then in a cookie), never
// in a URL that an access log, a proxy or a Referer header could record.
const form = document.getElementById("pickup-link-form");
const field = document.getElementById("pickup-link-token");

function fromLink() {
  let code = "";
  try {
    code = decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
  } catch {
    code = "";
  }
  // Take the code out of the address bar and the history; keep ?lang= and ?repeat=.
  history.replaceState(null, "", window.location.pathname + window.location.search);
  if (code && form && field) {
    field.value = code;
    form.action = window.location.pathname + window.location.search;
    form.submit();
    return;
  }
  for (const id of ["pickup-link-reading", "pickup-link-none", "pickup-link-command"]) {
    const el = document.getElementById(id);
    if (el) el.hidden = id === "pickup-link-reading";
  }
}

fromLink();
window.addEventListener("hashchange", fromLink);
