"""`/screen/speech/`: server-made speech, for paired screens and pick-up boards only,
with bounded text; a missing engine is a clear 503, not a crash."""

from __future__ import annotations

import io
import shutil
import wave
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.kitchen.voice import MAX_CHARS, MISSING
from tests import factories
from tests.conftest import skip_or_fail
from tests.screens.conftest import pair

PHRASE = "Table A12, order 42: two sliced beef, ready"


@pytest.fixture(autouse=True)
def _cache(settings: object, tmp_path: Path) -> Path:
    settings.KDS_SPEECH_CACHE_DIR = tmp_path / "speech"  # type: ignore[attr-defined]
    return tmp_path / "speech"


@pytest.fixture
def espeak() -> None:
    if shutil.which("espeak-ng") is None:
        skip_or_fail("espeak-ng is not installed (apt-get install espeak-ng)")


@pytest.fixture
def screen_client(kitchen: factories.Kitchen) -> Client:
    _, cookie = pair(kitchen.expo, "Pass")
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client


def frames(data: bytes) -> int:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes()


@pytest.mark.parametrize(
    ("text", "lang"), [(PHRASE, "en-US"), ("A12桌 42号，肥牛两份，出餐了", "zh-CN")]
)
def test_it_speaks_for_a_paired_screen(
    screen_client: Client, espeak: None, text: str, lang: str, _cache: Path
) -> None:
    response = screen_client.get("/screen/speech/", {"text": text, "lang": lang})
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert frames(response.content) > 0
    # Made once, kept by phrase: the second answer is the cached file.
    (cached,) = list(_cache.rglob("*.wav"))
    made = cached.stat().st_mtime_ns
    again = screen_client.get("/screen/speech/", {"text": text, "lang": lang})
    assert again.content == response.content and cached.stat().st_mtime_ns == made


def test_it_speaks_for_a_pick_up_board(kitchen: factories.Kitchen, espeak: None) -> None:
    response = factories.pickup_client(kitchen.restaurant).get(
        "/screen/speech/", {"text": "Order 42, please pick up", "lang": "en-US"}
    )
    assert response.status_code == 200 and frames(response.content) > 0


@pytest.mark.parametrize(
    "who",
    [
        "nobody",
        "bad cookie",
        "bad pickup cookie",
        "code in the address",
        "revoked screen",
        "admin session",
    ],
)
def test_it_refuses_anyone_but_a_paired_screen(
    kitchen: factories.Kitchen, who: str, admin_client: Client
) -> None:
    client = Client()
    params = {"text": PHRASE, "lang": "en-US"}
    if who == "bad cookie":
        client.cookies["kds_screen"] = "1:2:forged"
    elif who == "bad pickup cookie":
        client.cookies["kds_pickup"] = factories.pickup_code(kitchen.restaurant) + "x"
    elif who == "code in the address":  # as the old boards sent it: no longer taken
        params["pickup"] = factories.pickup_code(kitchen.restaurant)
    elif who == "revoked screen":
        from orders.actions.screens import screen_revoke

        screen, cookie = pair(kitchen.expo, "Pass")
        screen_revoke(screen=screen)
        client.cookies["kds_screen"] = cookie
    elif who == "admin session":
        client = admin_client
    response = client.get("/screen/speech/", params)
    assert response.status_code == 403
    assert "paired screen" in response.json()["error"]


@pytest.mark.parametrize(
    ("text", "lang", "why"),
    [
        ("x" * (MAX_CHARS + 1), "en-US", "longer than"),
        ("x" * 1_000_000, "en-US", "longer than"),
        ("", "en-US", "empty"),
        ("   ", "en-US", "empty"),
        ("Order\x0042", "en-US", "control"),
        ("Order\x1b[31m42", "en-US", "control"),
        (PHRASE, "fr-FR", "lang must be"),
        (PHRASE, "", "lang must be"),
    ],
)
def test_it_bounds_the_text(screen_client: Client, text: str, lang: str, why: str) -> None:
    response = screen_client.get("/screen/speech/", {"text": text, "lang": lang})
    assert response.status_code == 400
    assert why in response.json()["error"]


def test_it_says_what_to_install_without_an_engine(
    screen_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    response = screen_client.get("/screen/speech/", {"text": PHRASE, "lang": "en-US"})
    assert response.status_code == 503
    assert response.json()["error"] == MISSING and "apt-get install espeak-ng" in MISSING


def test_it_uses_a_configured_command_such_as_piper(
    screen_client: Client, espeak: None, settings: object
) -> None:
    settings.KDS_SPEECH_COMMAND_EN = "espeak-ng -v en-gb -w {out}"  # type: ignore[attr-defined]
    response = screen_client.get("/screen/speech/", {"text": PHRASE, "lang": "en-US"})
    assert response.status_code == 200 and frames(response.content) > 0
    settings.KDS_SPEECH_COMMAND_EN = "/nonexistent/piper --output_file {out}"  # type: ignore[attr-defined]
    broken = screen_client.get("/screen/speech/", {"text": PHRASE + "!", "lang": "en-US"})
    assert broken.status_code == 503 and "/nonexistent/piper" in broken.json()["error"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400), lang=st.sampled_from(["en-US", "zh-CN", "xx", "", "\x00"]))
def test_it_never_fails_on_any_text(screen_client: Client, text: str, lang: str) -> None:
    response = screen_client.get("/screen/speech/", {"text": text, "lang": lang})
    assert response.status_code in (200, 400, 503)
    if response.status_code == 200:
        assert response.content[:4] == b"RIFF"


def test_the_health_report_takes_only_known_paths(
    screen_client: Client, kitchen: factories.Kitchen
) -> None:
    from orders.models import Screen

    page = screen_client.get("/screen/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else ""
    screen_client.cookies["csrftoken"] = token
    ok = screen_client.post("/screen/health/", {"speech": "server"}, HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200
    assert Screen.objects.get().speech_path == "server"
    screen_client.post("/screen/health/", {"speech": "x" * 10_000}, HTTP_X_CSRFTOKEN=token)
    assert Screen.objects.get().speech_path == "server"
    assert Client().post("/screen/health/", {"speech": "none"}).status_code in (403,)
