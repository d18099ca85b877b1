"""Expo browser tests: a spy on `speechSynthesis` and opening a speaking expo screen.

The spy replaces the browser's speech synthesis before any page script runs. It
records every utterance (text, language, when it started and ended, whether another
was still speaking) and plays each for 150 ms. With `window.__speechMode = "refuse"`
it fails every utterance the way Chrome does without a user gesture ("not-allowed").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from orders.models import Announce, Screen, Station
from tests.browser.pairing import pair_in_browser

SPY = """
(() => {
  const spoken = [];
  const refused = [];
  window.__spoken = spoken;
  window.__refused = refused;
  if (window.__speechMode === undefined) window.__speechMode = "ok";
  let active = null;
  const spy = {
    speaking: false, pending: false, paused: false,
    // A browser with voices for both languages (an empty list would send the screen
    // to server audio: tests/browser/test_expo_speaks_without_speech_synthesis.py).
    getVoices() {
      return [{ name: "Spy English", lang: "en-US", voiceURI: "spy-en" },
              { name: "Spy 中文", lang: "zh-CN", voiceURI: "spy-zh" }];
    },
    speak(u) {
      if (window.__speechMode === "refuse") {
        refused.push({ text: u.text, lang: u.lang });
        setTimeout(() => u.onerror && u.onerror({ error: "not-allowed" }), 5);
        return;
      }
      const entry = { text: u.text, lang: u.lang, start: 0, end: 0, overlap: active !== null };
      spoken.push(entry);
      active = entry;
      spy.speaking = true;
      setTimeout(() => {
        entry.start = performance.now();
        if (u.onstart) u.onstart({});
        setTimeout(() => {
          entry.end = performance.now();
          active = null;
          spy.speaking = false;
          if (u.onend) u.onend({});
        }, 150);
      }, 5);
    },
    cancel() {}, pause() {}, resume() {},
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: spy, configurable: true });
  window.SpeechSynthesisUtterance = class {
    constructor(text) {
      this.text = text; this.lang = ""; this.rate = 1; this.volume = 1; this.voice = null;
    }
  };
})();
"""

REFUSE = "window.__speechMode = 'refuse';"
ONLINE = "[data-link-state].is-online"


@dataclass
class ExpoPage:
    page: Any
    screen: Screen

    def spoken(self) -> list[dict[str, Any]]:
        return list(self.page.evaluate("window.__spoken"))

    def texts(self) -> list[tuple[str, str]]:
        return [(u["text"], u["lang"]) for u in self.spoken()]


OpenExpo = Callable[..., ExpoPage]


# Every page records what its Content-Security-Policy blocked; new_page() fails the test
# at its end if anything was (an inline script or handler, eval, a foreign source).
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def watched_page(
    browser: Any, *, viewport: tuple[int, int] = (1280, 800), init: tuple[str, ...] = ()
) -> tuple[Any, Callable[[], None]]:
    """A page in a fresh browser context under the site's CSP, and the function that
    closes it and fails if the policy blocked anything on it."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    blocked: list[str] = []
    context.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    for script in (CSP_WATCH, *init):
        context.add_init_script(script)
    page = context.new_page()

    def close() -> None:
        try:
            if not page.is_closed():
                blocked.extend(page.evaluate("window.__csp || []"))
        finally:
            context.close()
        assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"

    return page, close


def new_page(
    browser: Any,
    *,
    request: Any,
    viewport: tuple[int, int] = (1280, 800),
    init: tuple[str, ...] = (),
) -> Any:
    """A watched page (above), closed and checked after the test."""
    page, close = watched_page(browser, viewport=viewport, init=init)
    request.addfinalizer(close)
    return page


def wait_until(page: Any, expression: str, *, timeout: float = 10) -> Any:
    """Polls a JavaScript expression until it is truthy; its value. Not wait_for_function,
    which evaluates its predicate with eval(), and the pages' policy forbids eval: this
    asks through the DevTools protocol, which the policy does not govern."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value or time.monotonic() > deadline:
            assert value, f"still false after {timeout} s: {expression}"
            return value
        page.wait_for_timeout(50)


def open_station_in(
    browser: Any, base_url: str, station: Station, *, request: Any, name: str = "Screen"
) -> Any:
    """Pairs a screen of a prep station and returns its page, live."""
    screen = Screen.objects.create(restaurant=station.restaurant, station=station, name=name)
    page = new_page(browser, request=request)
    pair_in_browser(page, base_url, str(screen.pairing_token))
    page.wait_for_selector(ONLINE)
    return page


def open_expo_in(
    browser: Any,
    base_url: str,
    station: Station,
    *,
    request: Any,
    refuse: bool = False,
    viewport: tuple[int, int] = (1280, 800),
    announce: str = Announce.ORDER,
) -> ExpoPage:
    """Pairs a speaking screen of an expo station, with the speech spy, and returns it live."""
    screen = Screen.objects.create(
        restaurant=station.restaurant,
        station=station,
        name="Pass",
        announce=announce,
        chime_before_speaking=False,
    )
    page = new_page(
        browser, request=request, viewport=viewport, init=((REFUSE, SPY) if refuse else (SPY,))
    )
    pair_in_browser(page, base_url, str(screen.pairing_token))
    page.wait_for_selector(ONLINE)
    return ExpoPage(page, screen)


def sign_in_foh(browser: Any, base_url: str, *, request: Any, username: str = "runner") -> Any:
    """A front-of-house user's tablet page, live. The session is made by the test client
    (the sign-in form has its own test), which saves hashing a password twice per test."""
    from django.conf import settings
    from django.test import Client

    from tests.factories import FRONT_OF_HOUSE, staff_user

    user = staff_user(FRONT_OF_HOUSE, username=username)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = new_page(browser, request=request, viewport=(1280, 800))
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )
    page.goto(f"{base_url}/foh/")
    page.wait_for_selector(ONLINE)
    return page


def open_pickup(
    browser: Any,
    base_url: str,
    restaurant: Any,
    *,
    request: Any,
    query: str = "",
    viewport: tuple[int, int] = (1280, 800),
) -> Any:
    """The pick-up board with the speech spy, live, opened by its link (/pickup/?…#<code>)."""
    from tests.factories import pickup_code

    page = new_page(browser, request=request, viewport=viewport, init=(SPY,))
    page.goto(f"{base_url}/pickup/{query}#{pickup_code(restaurant)}")
    page.wait_for_selector(ONLINE)
    return page


def admin_page(browser: Any, server: Any, request: Any) -> Any:
    """A page signed in to the admin as a superuser, closed and checked after the test."""
    boss = User.objects.create_superuser("boss", password="a-long-admin-password-1")
    client = Client()
    client.force_login(boss)
    page = new_page(browser, request=request)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server.url,
            }
        ]
    )
    return page
