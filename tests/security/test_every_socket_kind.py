"""Every kind of socket (station, expo, front of house, pick-up) treats bad frames alike
(orders/live/sockets.py): binary or oversized frames close it with a code Daphne lets an
application send (3000–4999; 1003 and 1009 make Daphne close with 1011 instead), and
text that is not a message (`1e400`, NaN, an id past 2⁵³) is "malformed", never a crash.
A socket that floods is closed; board requests are rate-limited per socket."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kds.asgi import application
from orders.live.messages import CLOSE_BINARY, CLOSE_TOO_BIG, CLOSE_TOO_MANY
from tests import factories
from tests.hotpot import Kitchen, _fresh_board_cache, foh_user, kitchen, pair, place

__all__ = ["_fresh_board_cache", "kitchen"]

KINDS = ["station", "expo", "foh", "pickup"]
FIRST = {"station": "board", "expo": "board", "foh": "foh", "pickup": "pickup"}


@dataclass
class Sockets:
    """How to open each kind of socket on the hot-pot kitchen."""

    paths: dict[str, str]
    cookies: dict[str, str]

    def open(self, kind: str, *, client: tuple[str, int] | None = None) -> WebsocketCommunicator:
        headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
        if self.cookies[kind]:
            headers.append((b"cookie", self.cookies[kind].encode()))
        comm = WebsocketCommunicator(application, self.paths[kind], headers=headers)
        if client is not None:
            comm.scope["client"] = client
        return comm


def _sockets(kitchen: Kitchen) -> Sockets:
    place(kitchen, "o-1", number="42", channel="takeout")
    runner = Client()
    runner.force_login(foh_user("runner"))
    session = runner.cookies[settings.SESSION_COOKIE_NAME].value
    return Sockets(
        paths={
            "station": "/ws/screen/",
            "expo": "/ws/expo/",
            "foh": f"/ws/foh/?r={kitchen.restaurant.slug}",
            "pickup": "/ws/pickup/",
        },
        cookies={
            "station": f"kds_screen={pair(kitchen.wok, 'Wok')[1]}",
            "expo": f"kds_screen={pair(kitchen.expo, 'Pass')[1]}",
            "foh": f"{settings.SESSION_COOKIE_NAME}={session}",
            "pickup": factories.pickup_cookie(kitchen.restaurant),
        },
    )


@pytest.fixture
def sockets(kitchen: Kitchen) -> Sockets:
    return _sockets(kitchen)


@pytest.fixture(autouse=True)
async def _close_worker_connections(transactional_db: None) -> Any:
    """The suite's own, after the database: sockets the server closed may have used the
    database thread last, and its connection must close before the test database goes."""
    from channels.db import database_sync_to_async
    from django.db import connections

    yield
    await database_sync_to_async(connections.close_all)()


async def opened(sockets: Sockets, kind: str, **kwargs: Any) -> WebsocketCommunicator:
    comm = sockets.open(kind, **kwargs)
    assert (await comm.connect())[0]
    first = await comm.receive_json_from(timeout=5)
    assert first["type"] == FIRST[kind], first
    return comm


async def until_closed(comm: WebsocketCommunicator) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        message = await comm.receive_output(timeout=5)
        out.append(message)
        if message["type"] == "websocket.close":
            # Answer the close as a browser does, so the consumer ends with the test: one
            # left receiving on channels-redis hangs the test's event loop as it closes.
            await comm.disconnect()
            return out


CLOSING_FRAMES: list[tuple[dict[str, Any], int]] = [
    ({"bytes_data": b'{"action": "resync"}'}, CLOSE_BINARY),
    ({"bytes_data": b"\x00" * 100_000}, CLOSE_BINARY),
    ({"text_data": json.dumps({"action": "refresh", "pad": "x" * 100_000})}, CLOSE_TOO_BIG),
    ({"text_data": "[" * 100_000}, CLOSE_TOO_BIG),
]


@pytest.mark.parametrize("kind", KINDS)
async def test_it_closes_on_a_binary_or_oversized_frame_with_a_code_daphne_sends(
    sockets: Sockets, kind: str
) -> None:
    for frame, code in CLOSING_FRAMES:
        comm = await opened(sockets, kind)
        await comm.send_to(**frame)
        closed = (await until_closed(comm))[-1]
        assert closed["code"] == code, frame
        assert 3000 <= closed["code"] <= 4999


MALFORMED = [
    '{"action": "ticket_bump", "order": 1e400}',
    '{"action": "line_bump", "placement": -1e400}',
    '{"action": "refresh", "t": 1e999}',
    '{"action": "ticket_bump", "order": NaN}',
    "{",
    "[]",
    '{"action": 7}',
    '{"action": "resync", "x": ' + "[" * 100 + "]" * 100 + "}",
]
# Ids no database holds: refused where they are used, never a crash.
HUGE_IDS = [
    {"action": "ticket_bump", "order": 10**29},
    {"action": "line_bump", "placement": 2**63},
    {"action": "recall", "order": -(2**63) - 1},
    {"action": "void_ack", "order": 2.5},
]
EXPO_HUGE_IDS = [
    {"action": "handover", "order": 2**63},
    {"action": "send_back", "placement": 10**30},
    {"action": "fire_course", "order": True},
]


@pytest.mark.parametrize("kind", KINDS)
async def test_it_answers_malformed_text_and_stays_open(sockets: Sockets, kind: str) -> None:
    comm = await opened(sockets, kind)
    for text in MALFORMED:
        await comm.send_to(text_data=text)
        answer = await comm.receive_json_from(timeout=5)
        assert answer == {"type": "error", "error": "malformed"}, text
    await comm.disconnect()


@pytest.mark.parametrize("kind", ["station", "expo"])
async def test_it_refuses_an_action_on_an_id_no_database_holds(sockets: Sockets, kind: str) -> None:
    comm = await opened(sockets, kind)
    for message in HUGE_IDS + (EXPO_HUGE_IDS if kind == "expo" else []):
        await comm.send_json_to(message)
        answer = await comm.receive_json_from(timeout=5)
        while answer["type"] != "result":
            answer = await comm.receive_json_from(timeout=5)
        assert answer["ok"] is False, message
    await comm.disconnect()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/screen/action/", {"action": "ticket_bump", "order": str(10**30)}),
        ("/screen/action/", {"action": "line_bump", "placement": str(2**63)}),
        ("/foh/action/", {"action": "serve_order", "order": str(2**63)}),
        ("/foh/action/", {"action": "serve_line", "order": "1", "line": "9" * 40}),
    ],
)
def test_the_http_actions_refuse_an_id_no_database_holds(
    sockets: Sockets, url: str, data: dict[str, str]
) -> None:
    client = Client()
    if url.startswith("/screen/"):
        client.cookies["kds_screen"] = sockets.cookies["station"].split("=", 1)[1]
    else:
        client.force_login(foh_user("second-runner"))
    assert client.post(url, data).status_code == 409


@pytest.mark.parametrize("kind", KINDS)
async def test_it_closes_a_socket_that_floods(sockets: Sockets, kind: str) -> None:
    comm = await opened(sockets, kind)
    for _ in range(300):
        await comm.send_to(text_data='{"action": "nothing"}')
    messages = await until_closed(comm)
    assert messages[-1]["code"] == CLOSE_TOO_MANY


@pytest.mark.parametrize("kind", ["station", "expo"])
async def test_it_rate_limits_whole_boards_per_socket(sockets: Sockets, kind: str) -> None:
    comm = await opened(sockets, kind)
    for _ in range(20):
        await comm.send_json_to({"action": "resync"})
    answers = []
    while not await comm.receive_nothing(timeout=0.5):
        answers.append((await comm.receive_json_from(timeout=5))["type"])
    assert 1 <= answers.count("board") <= 6, answers
    assert "error" in answers
    await comm.disconnect()


async def test_a_screens_ordinary_burst_is_not_limited(sockets: Sockets) -> None:
    # A cook clearing a rail of tickets with a bump bar: a dozen taps at once.
    comm = await opened(sockets, "station")
    for _ in range(12):
        await comm.send_json_to({"action": "ticket_bump", "order": 0})
    results = [await comm.receive_json_from(timeout=5) for _ in range(12)]
    assert [r["type"] for r in results] == ["result"] * 12
    await comm.disconnect()


# ------------------------------------------------------------------ property

frames = st.one_of(
    st.binary(min_size=1, max_size=64).map(lambda b: {"bytes_data": b}),
    st.text(min_size=1, max_size=60).map(lambda t: {"text_data": t}),
    st.fixed_dictionaries(
        {"action": st.sampled_from(["refresh", "sync", "resync", "ticket_bump", "handover"])},
        optional={
            "order": st.integers() | st.floats() | st.text(max_size=5),
            "placement": st.integers(min_value=2**50) | st.none(),
        },
    )
    .map(lambda d: json.dumps(d, allow_nan=True))
    .map(lambda t: {"text_data": t}),
)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(kind=st.sampled_from(KINDS), frame=frames)
def test_every_socket_kind_answers_any_frame_or_closes_with_its_own_code(
    sockets: Sockets, kind: str, frame: dict[str, Any]
) -> None:
    async def run() -> None:
        comm = await opened(sockets, kind)
        await comm.send_to(**frame)
        while not await comm.receive_nothing(timeout=0.2):
            message = await comm.receive_output(timeout=5)
            if message["type"] == "websocket.close":
                assert 3000 <= message["code"] <= 4999, message
                return
            assert message["type"] == "websocket.send"
            json.loads(message["text"])
        await comm.disconnect()

    async_to_sync(run)()
