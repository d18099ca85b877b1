// A pairing link is /pair/#<token>. The #fragment never leaves the browser, so the
// token reaches the server only in this form's POST body, never in a URL that an
// access log, a proxy or a Referer header could record.
const form = document.getElementById("pair-form");
const field = document.getElementById("pair-token");
const reading = document.getElementById("pair-reading");

function fromLink() {
  let token = "";
  try {
    token = decodeURIComponent(window.location.hash.replace(/^#/, "")).trim();
  } catch {
    token = ""; // a mangled link: leave the field for the code to be typed
  }
  // Take the token out of the address bar and the history.
  history.replaceState(null, "", window.location.pathname + window.location.search);
  if (token && form && field) {
    field.value = token;
    form.submit();
  } else if (reading) {
    reading.hidden = true;
  }
}

fromLink();
// A link opened while this page is showing changes only the fragment: no new page load.
window.addEventListener("hashchange", fromLink);
