"""Random, malformed and oversized messages thrown at the screen socket: the sender gets an
error or is closed, the server never crashes, and another screen keeps being served."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.live.messages import CLOSE_BINARY, CLOSE_TOO_BIG
from orders.models import LineStation
from tests.screens.conftest import communicator
from tests.security.conftest import Site
from tests.strategies import json_values

pytestmark = pytest.mark.django_db(transaction=True)
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ACTIONS = [
    "resync",
    "sync",
    "recall_list",
    "line_bump",
    "line_unbump",
    "ticket_bump",
    "void_ack",
    "recall",
    "handover",
    "send_back",
    "unserve",
    "dishes",
    "dish_86",
    "dish_back",
]

values = json_values
# Messages that look like the protocol, with every field wrong in every way.
protocolish = st.fixed_dictionaries(
    {"action": st.sampled_from(ACTIONS) | values},
    optional={"placement": values, "order": values, "item": values, "seq": values, "t": values},
).map(json.dumps)
raw_text = st.one_of(
    st.text(min_size=1, max_size=200),
    values.map(json.dumps),
    st.sampled_from(
        [
            "{",
            "null",
            "[]",
            '{"action": NaN}',
            '{"action": "line_bump", "placement": Infinity}',
            '{"action": "ticket_bump", "order": -Infinity}',
            '{"action": "sync", "seq": 1e999}',
            '{"action": "line_bump", "placement": 1e308}',
            '{"action": "resync", "__proto__": {}}',
            "\ud800",
        ]
    ),
)
frames = st.one_of(
    protocolish.map(lambda t: ("text", t)),
    raw_text.map(lambda t: ("text", t)),
    st.binary(min_size=1, max_size=64).map(lambda b: ("bytes", b)),
)


async def outcome(comm: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Everything the server sends until it goes quiet or closes."""
    out: list[dict[str, Any]] = []
    while True:
        if await comm.receive_nothing(timeout=0.3):
            return out
        message = await comm.receive_output(timeout=1)
        out.append(message)
        if message["type"] == "websocket.close":
            return out


async def attack(cookie_a: str, cookie_b: str, frame: tuple[str, Any]) -> list[dict[str, Any]]:
    victim = communicator(cookie_b)
    assert (await victim.connect())[0]
    await victim.receive_json_from(timeout=5)
    comm = communicator(cookie_a)
    assert (await comm.connect())[0]
    await comm.receive_json_from(timeout=5)  # the board

    kind, payload = frame
    if kind == "text":
        await comm.send_to(text_data=payload)
    else:
        await comm.send_to(bytes_data=payload)
    # The server must not crash on it: outcome() re-raises the consumer's exception.
    answer = await outcome(comm)
    closed = any(m["type"] == "websocket.close" for m in answer)
    if not closed:
        # Still open: it must still work.
        await comm.send_json_to({"action": "resync"})
        board = await comm.receive_json_from(timeout=5)
        while board["type"] != "board":
            board = await comm.receive_json_from(timeout=5)
        await comm.disconnect()
    # The other screen of the kitchen is served all along.
    await victim.send_json_to({"action": "resync"})
    assert (await victim.receive_json_from(timeout=5))["type"] == "board"
    await victim.disconnect()
    return answer


def texts(answer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(m["text"]) for m in answer if m["type"] == "websocket.send"]


@FUZZ
@given(frame=frames)
def test_it_survives_any_message_and_keeps_serving_the_others(
    site: Site, frame: tuple[str, Any]
) -> None:
    before = list(LineStation.objects.order_by("pk").values_list("pk", "state", "void_pending"))

    answer = async_to_sync(attack)(site.cookie_a, site.cookie_b, frame)

    assert all(m["type"] in ("websocket.send", "websocket.close") for m in answer), answer
    changed = list(LineStation.objects.order_by("pk").values_list("pk", "state", "void_pending"))
    if before != changed:
        # Only a well-formed action on this screen's own ticket may change anything.
        assert any(t.get("type") == "result" and t.get("ok") for t in texts(answer)), answer


@pytest.mark.parametrize(
    "frame",
    [
        ("text", "{not json"),
        ("text", "[1, 2, 3]"),
        ("text", '"resync"'),
        ("text", '{"no_action": 1}'),
        ("text", '{"action": 42}'),
        ("text", '{"action": "line_bump", "placement": Infinity}'),
        ("text", '{"action": "ticket_bump", "order": NaN}'),
    ],
)
def test_it_answers_a_malformed_message_with_an_error(site: Site, frame: tuple[str, Any]) -> None:
    answer = async_to_sync(attack)(site.cookie_a, site.cookie_b, frame)

    errors = [t for t in texts(answer) if t.get("type") == "error"]
    closed = [m for m in answer if m["type"] == "websocket.close"]
    assert errors or closed, answer


@pytest.mark.parametrize(
    "frame",
    [
        ("text", json.dumps({"action": "resync", "pad": "x" * 1_000_000})),
        ("text", "[" * 100_000),
        ("bytes", b"\x00" * 1_000_000),
        ("bytes", b'{"action": "resync"}'),
    ],
)
def test_it_closes_a_socket_that_sends_an_oversized_or_binary_frame(
    site: Site, frame: tuple[str, Any]
) -> None:
    answer = async_to_sync(attack)(site.cookie_a, site.cookie_b, frame)

    assert answer and answer[-1]["type"] == "websocket.close", answer
    assert answer[-1]["code"] in (CLOSE_BINARY, CLOSE_TOO_BIG)
