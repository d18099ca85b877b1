"""The front-of-house and pick-up sockets under bad input: text that is not JSON, huge or
deeply nested frames, binary frames, unknown actions, NUL and 2**63, a forged or
another restaurant's pick-up token. The sender is answered "malformed" or closed, the
server never crashes, the socket that sent a readable message keeps working, and
another restaurant's sockets hear nothing of this one's orders."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
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
from orders.live.messages import CLOSE_BINARY, CLOSE_FORBIDDEN, CLOSE_TOO_BIG
from orders.models import Restaurant
from tests import factories
from tests.hotpot import Kitchen, foh_user, place
from tests.screens.conftest import sync
from tests.strategies import json_values

pytestmark = pytest.mark.django_db(transaction=True)
HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]

Opener = Callable[[], Awaitable[WebsocketCommunicator]]


def _session(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def foh_socket(cookie: str, restaurant: str = "demo") -> WebsocketCommunicator:
    headers = [*HEADERS, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())]
    return WebsocketCommunicator(application, f"/ws/foh/?r={restaurant}", headers=headers)


def pickup_socket(token: str) -> WebsocketCommunicator:
    """A pick-up board's socket, holding `token` as its link's cookie."""
    headers = [*HEADERS, (b"cookie", f"kds_pickup={token}".encode())]
    return WebsocketCommunicator(application, "/ws/pickup/", headers=headers)


async def opened(comm: WebsocketCommunicator, kind: str) -> WebsocketCommunicator:
    assert (await comm.connect())[0]
    first = await comm.receive_json_from(timeout=5)
    assert first["type"] == kind, first
    return comm


@pytest.fixture
def openers(kitchen: Kitchen) -> dict[str, Opener]:
    cookie = _session(foh_user("runner"))
    token = factories.pickup_code(kitchen.restaurant)
    return {
        "foh": lambda: opened(foh_socket(cookie), "foh"),
        "pickup": lambda: opened(pickup_socket(token), "pickup"),
    }


async def outcome(comm: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Everything the server sends until it goes quiet or closes (a crash re-raises here)."""
    out: list[dict[str, Any]] = []
    while not await comm.receive_nothing(timeout=0.3):
        message = await comm.receive_output(timeout=1)
        out.append(message)
        if message["type"] == "websocket.close":
            break
    return out


async def still_works(comm: WebsocketCommunicator, kind: str) -> None:
    await comm.send_json_to({"action": "refresh"})
    message = await comm.receive_json_from(timeout=5)
    assert message["type"] == kind, message


async def throw(open_: Opener, kind: str, frame: tuple[str, Any]) -> list[dict[str, Any]]:
    comm = await open_()
    # As the server hears a frame (send_to() refuses an empty text frame).
    await comm.send_input({"type": "websocket.receive", frame[0]: frame[1]})
    answer = await outcome(comm)
    if not any(m["type"] == "websocket.close" for m in answer):
        await still_works(comm, kind)
        await comm.disconnect()
    # A fresh socket is served as ever.
    other = await open_()
    await still_works(other, kind)
    await other.disconnect()
    return answer


def texts(answer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(m["text"]) for m in answer if m["type"] == "websocket.send"]


MALFORMED = [
    "{not json",
    "",
    "null",
    "[1, 2, 3]",
    '"refresh"',
    '{"no_action": 1}',
    '{"action": 42}',
    '{"action": NaN}',
    '{"action": "refresh", "n": Infinity}',
    "\ud800",
]


@pytest.mark.parametrize("kind", ["foh", "pickup"])
@pytest.mark.parametrize("text", MALFORMED)
def test_it_answers_text_that_is_not_a_message_as_malformed(
    openers: dict[str, Opener], kind: str, text: str
) -> None:
    answer = async_to_sync(throw)(openers[kind], kind, ("text", text))

    assert [t for t in texts(answer) if t.get("type") == "error"] == [
        {"type": "error", "error": "malformed"}
    ], answer


@pytest.mark.parametrize("kind", ["foh", "pickup"])
def test_it_ignores_an_action_it_does_not_know(openers: dict[str, Opener], kind: str) -> None:
    for action in ("handover", "line_bump", "serve", "x" * 200, "refresh\x00", "REFRESH"):
        answer = async_to_sync(throw)(openers[kind], kind, ("text", json.dumps({"action": action})))

        assert answer == [], (action, answer)  # no error, no render, no change


@pytest.mark.parametrize("kind", ["foh", "pickup"])
@pytest.mark.parametrize(
    "extra",
    [
        {"n": 2**63},
        {"n": -(2**63) - 1},
        {"at": "9999-12-31T23:59:59Z"},
        {"nested": json.loads("[" * 40 + "]" * 40)},
        {"text": "\x00" * 100},
    ],
)
def test_it_answers_a_refresh_whatever_else_it_carries(
    openers: dict[str, Opener], kind: str, extra: dict[str, Any]
) -> None:
    answer = async_to_sync(throw)(
        openers[kind], kind, ("text", json.dumps({"action": "refresh", **extra}))
    )

    assert [t["type"] for t in texts(answer)] == [kind], answer


@pytest.mark.parametrize("kind", ["foh", "pickup"])
@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (("text", json.dumps({"action": "refresh", "pad": "x" * 1_000_000})), CLOSE_TOO_BIG),
        (("text", "[" * 100_000), CLOSE_TOO_BIG),
        (("bytes", b"\x00" * 1_000_000), CLOSE_BINARY),
        (("bytes", b'{"action": "refresh"}'), CLOSE_BINARY),
    ],
)
def test_it_closes_a_socket_that_sends_an_oversized_or_binary_frame(
    openers: dict[str, Opener], kind: str, frame: tuple[str, Any], code: int
) -> None:
    answer = async_to_sync(throw)(openers[kind], kind, frame)

    assert answer and answer[-1] == {"type": "websocket.close", "code": code}, answer


@pytest.mark.parametrize(
    "token",
    ["demo:forged", "x" * 10_000, "demo", "%00", "demo:" + "A" * 43, "other:forged"],
)
async def test_it_closes_a_pickup_socket_with_a_forged_token(kitchen: Kitchen, token: str) -> None:
    comm = pickup_socket(token)
    assert (await comm.connect())[0]

    assert await comm.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }
    await comm.disconnect()  # as a browser answers a close: the consumer ends here


async def test_it_closes_a_tablet_socket_for_a_restaurant_that_does_not_exist(
    kitchen: Kitchen,
) -> None:
    comm = foh_socket(await sync(_session)(await sync(foh_user)("runner")), "no-such-place")
    assert (await comm.connect())[0]

    assert await comm.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }


async def test_it_tells_another_restaurants_sockets_nothing(kitchen: Kitchen) -> None:
    other = await sync(factories.make_kitchen)("other")
    cookie = await sync(_session)(await sync(foh_user)("runner"))
    their_token = await sync(factories.pickup_code)(
        await sync(Restaurant.objects.get)(slug="other")
    )
    their_tablet = await opened(foh_socket(cookie, "other"), "foh")
    their_board = await opened(pickup_socket(their_token), "pickup")
    our_board = await opened(
        pickup_socket(await sync(factories.pickup_code)(kitchen.restaurant)), "pickup"
    )

    await sync(place)(kitchen, "o-1", number="42", channel="takeout")

    assert (await our_board.receive_json_from(timeout=5))["type"] == "pickup"
    assert await their_tablet.receive_nothing(timeout=0.5)
    assert await their_board.receive_nothing(timeout=0.1)
    assert other.restaurant.slug == "other"
    for comm in (their_tablet, their_board, our_board):
        await comm.disconnect()


values = json_values
frames = st.one_of(
    st.fixed_dictionaries({"action": st.sampled_from(["refresh"]) | values}).map(
        lambda m: ("text", json.dumps(m))
    ),
    values.map(lambda v: ("text", json.dumps(v))),
    st.text(min_size=1, max_size=200).map(lambda t: ("text", t)),
    st.binary(min_size=1, max_size=64).map(lambda b: ("bytes", b)),
)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(frame=frames, kind=st.sampled_from(["foh", "pickup"]))
def test_it_survives_any_frame(
    openers: dict[str, Opener], frame: tuple[str, Any], kind: str
) -> None:
    answer = async_to_sync(throw)(openers[kind], kind, frame)

    assert all(m["type"] in ("websocket.send", "websocket.close") for m in answer), answer
    for message in texts(answer):
        assert message in ({"type": "error", "error": "malformed"},) or message["type"] == kind
