"""Where the browser cannot speak (no speechSynthesis: Android WebView), expo plays the
same phrase as audio the server made: a real WAV, once per ready order, one at a time."""

from __future__ import annotations

import io
import wave
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from orders.models import Announce, MenuItem, Screen, SpeechPath
from tests.browser.conftest import Kitchen2, Post
from tests.browser.expo_support import ONLINE, new_page, open_station_in, wait_until
from tests.browser.pairing import pair_in_browser
from tests.browser.server import KdsServer
from tests.factories import order_body

# A record of every audio the page plays: its address, start, end, and whether another
# was still playing.
AUDIO_RECORDER = """
(() => {
  const played = [];
  window.__played = played;
  let active = null;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    const entry = { src: this.src, start: performance.now(), end: 0, overlap: active !== null };
    played.push(entry);
    active = entry;
    const done = () => { entry.end = performance.now(); active = null; };
    this.addEventListener("ended", done, { once: true });
    this.addEventListener("error", () => { entry.error = true; done(); }, { once: true });
    return play.call(this);
  };
})();
"""
# No speech synthesis at all (Android WebView), and the recorder.
NO_SPEECH = (
    """
Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
Object.defineProperty(window, "SpeechSynthesisUtterance", { value: undefined, configurable: true });
"""
    + AUDIO_RECORDER
)


def open_silent_expo(browser: Any, server: KdsServer, kitchen2: Kitchen2, request: Any) -> Any:
    screen = Screen.objects.create(
        restaurant=kitchen2.k.restaurant,
        station=kitchen2.k.expo,
        name="Android kiosk",
        announce=Announce.ORDER,
        chime_before_speaking=True,
    )
    page = new_page(browser, request=request, init=(NO_SPEECH,))
    audio: list[tuple[str, int, bytes]] = []
    page.on(
        "response",
        lambda r: audio.append((r.url, r.status, r.body())) if "/screen/speech/" in r.url else None,
    )
    pair_in_browser(page, server.url, str(screen.pairing_token))
    page.wait_for_selector(ONLINE)
    page.audio = audio
    page.screen = screen
    return page


def bump(wok: Any, number: str) -> None:
    head = f"#board .ticket:has-text('#{number}') .ticket-head"
    wok.wait_for_selector(head)
    wok.click(head)


def frames(data: bytes) -> int:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes()


@pytest.mark.parametrize(
    ("language", "phrases", "lang"),
    [
        (
            "",
            ["Table A12, order 42: one mapo tofu, ready", "Order 43: one mapo tofu, ready"],
            "en-US",
        ),
        ("zh-hans", ["A12桌 42号，麻婆豆腐一份，出餐了", "43号，麻婆豆腐一份，出餐了"], "zh-CN"),
    ],
)
def test_it_plays_server_audio_of_the_exact_phrase_once_per_ready_order(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    post: Post,
    language: str,
    phrases: list[str],
    lang: str,
) -> None:
    MenuItem.objects.create(
        restaurant=kitchen2.k.restaurant, sku="MAPO", name="Mapo Tofu", name_zh="麻婆豆腐"
    )
    kitchen2.k.expo.speech_language = language
    kitchen2.k.expo.save()
    expo = open_silent_expo(browser, server, kitchen2, request)
    wok = open_station_in(browser, server.url, kitchen2.a, request=request)
    item = [{"id": "l-1", "sku": "MAPO", "name": "Mapo Tofu", "quantity": 1}]
    post(order_body("o-1", number="42", table="A12", items=item))
    post(order_body("o-2", number="43", items=item))

    bump(wok, "42")
    bump(wok, "43")

    wait_until(
        expo, "window.__played.length >= 2 && window.__played.every(p => p.end > 0)", timeout=30
    )
    expo.wait_for_timeout(1000)  # anything said twice would be said by now
    played = expo.evaluate("window.__played")
    said = [parse_qs(urlparse(p["src"]).query) for p in played]
    assert [(s["text"][0], s["lang"][0]) for s in said] == [(p, lang) for p in phrases]
    assert not any(p["overlap"] or p.get("error") for p in played)
    assert played[0]["end"] <= played[1]["start"]
    bodies = {
        parse_qs(urlparse(url).query)["text"][0]: (status, body) for url, status, body in expo.audio
    }
    for phrase in phrases:
        status, body = bodies[phrase]
        assert status == 200 and body[:4] == b"RIFF" and body[8:12] == b"WAVE"
        assert frames(body) > 0

    # The screen told the server how it speaks, for the admin's health list.
    expo.screen.refresh_from_db()
    assert expo.screen.speech_path == SpeechPath.SERVER


def test_the_admins_test_voice_plays_through_the_same_path(
    kitchen2: Kitchen2, server: KdsServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    """The admin's "test voice" on a screen without speech: the screen plays server audio."""
    import re

    import httpx
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    expo = open_silent_expo(browser, server, kitchen2, request)
    admin = User.objects.create_superuser("boss", "boss@example.com", "x")
    client = Client()
    client.force_login(admin)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = f"{server.url}/admin/orders/screen/{expo.screen.pk}/voice-test/"
    with httpx.Client(cookies={settings.SESSION_COOKIE_NAME: session}, timeout=10) as http:
        confirm = http.get(url)
        assert confirm.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text)
        assert token is not None
        done = http.post(
            url, data={"csrfmiddlewaretoken": token.group(1)}, headers={"Referer": url}
        )
        assert done.status_code == 302, done.text

    wait_until(expo, "window.__played.length >= 1 && window.__played[0].end > 0", timeout=20)
    (played,) = expo.evaluate("window.__played")
    said = parse_qs(urlparse(played["src"]).query)
    assert said["text"] == ["Voice test. Order 42 is ready."] and said["lang"] == ["en-US"]


def test_a_screen_set_to_server_audio_uses_it_though_the_browser_could_speak(
    kitchen2: Kitchen2, server: KdsServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    from orders.models import SpeechOutput
    from tests.browser.expo_support import SPY

    screen = Screen.objects.create(
        restaurant=kitchen2.k.restaurant,
        station=kitchen2.k.expo,
        name="Pass",
        announce=Announce.ORDER,
        speech_output=SpeechOutput.SERVER,
    )
    # The spy gives the page a working speechSynthesis with voices.
    page = new_page(browser, request=request, init=(SPY, AUDIO_RECORDER))
    pair_in_browser(page, server.url, str(screen.pairing_token))
    page.wait_for_selector(ONLINE)
    page.click("[data-test-voice]")
    wait_until(page, "window.__played.length >= 1 && window.__played[0].end > 0", timeout=20)
    assert page.evaluate("window.__spoken.length") == 0
    said = parse_qs(urlparse(page.evaluate("window.__played")[0]["src"]).query)
    assert said["text"] == ["Voice test. Order 42 is ready."]
    screen.refresh_from_db()
    assert screen.speech_path == SpeechPath.SERVER
