"""The id and times a tap carries, malformed and extreme, over the socket and over HTTP:
a clear refusal ("malformed"), nothing changed, never a crash or a 500."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import ActionRecord, LineStation, Order, OrderEvent
from tests.hotpot import foh_user
from tests.screens.conftest import communicator, next_of
from tests.security.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NOW_MS = int(time.time() * 1000)

BAD_IDS: list[Any] = [
    "",
    "not-a-uuid",
    "x" * 36,
    str(uuid.uuid4())[:-1] + "\x00",
    "{" + str(uuid.uuid4())[1:-1] + "}",
    "urn:uuid:" + str(uuid.uuid4()),
    str(uuid.uuid4()) * 100,
    123,
    2**63,
    True,
    ["a"],
    {"id": str(uuid.uuid4())},
]
BAD_TIMES: list[tuple[Any, Any]] = [
    (NOW_MS, None),  # one without the other
    (None, NOW_MS),
    (-1, NOW_MS),
    (NOW_MS, 2**63),
    (2**53 + 1, NOW_MS),
    (True, NOW_MS),
    ("soon", NOW_MS),
    ([NOW_MS], NOW_MS),
    ({"ms": 1}, NOW_MS),
    (1e308, NOW_MS),
    ("1e5", "1e6"),
    ("-5", "10"),
    ("１２", "１３"),  # full-width digits are digits to Python, not to us
    ("12\x00", "13"),
]


def _order(site: Site) -> Order:
    return Order.objects.get(external_id="o-site")


def _state() -> list[Any]:
    return [
        list(LineStation.objects.order_by("pk").values_list("pk", "state", "void_pending")),
        OrderEvent.objects.count(),
    ]


async def _over_socket(cookie: str, message: dict[str, Any]) -> dict[str, Any]:
    comm = communicator(cookie)
    assert (await comm.connect())[0]
    await comm.receive_json_from(timeout=5)
    await comm.send_to(text_data=json.dumps(message))
    answer = await next_of(comm, "result")
    await comm.disconnect()
    return answer


def _over_http(cookie: str, message: dict[str, Any]) -> Any:
    client = Client()
    client.cookies["kds_screen"] = cookie
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in message.items()}
    return client.post("/screen/action/", data)


@pytest.mark.parametrize("bad", BAD_IDS, ids=range(len(BAD_IDS)))
def test_it_refuses_an_id_that_is_not_a_uuid(site: Site, bad: Any) -> None:
    before = _state()
    message = {"action": "ticket_bump", "order": _order(site).pk, "id": bad}

    answer = async_to_sync(_over_socket)(site.cookie_a, message)

    assert answer["ok"] is False
    assert _state() == before and not ActionRecord.objects.exists()


@pytest.mark.parametrize("made, sent", BAD_TIMES, ids=range(len(BAD_TIMES)))
def test_it_refuses_times_that_are_not_milliseconds(site: Site, made: Any, sent: Any) -> None:
    before = _state()
    message = {"action": "ticket_bump", "order": _order(site).pk, "id": str(uuid.uuid4())}
    if made is not None:
        message["made_at"] = made
    if sent is not None:
        message["sent_at"] = sent

    answer = async_to_sync(_over_socket)(site.cookie_a, message)
    response = _over_http(site.cookie_a, {**message, "id": str(uuid.uuid4())})

    assert answer["ok"] is False and answer["reason"] == "malformed"
    assert response.status_code == 409 and response.json()["reason"] == "malformed"
    assert _state() == before


def test_it_takes_the_year_9999_as_now(site: Site) -> None:
    """A made-at far in the future is a clock gone wrong, not a reason to refuse the bump."""
    year_9999 = 253_402_300_799_999
    message = {
        "action": "ticket_bump",
        "order": _order(site).pk,
        "id": str(uuid.uuid4()),
        "made_at": year_9999,
        "sent_at": NOW_MS,
    }
    answer = async_to_sync(_over_socket)(site.cookie_a, message)
    assert answer["ok"] is True
    assert OrderEvent.objects.get(kind="bumped").at.year == time.gmtime().tm_year


ids = st.one_of(st.uuids().map(str), st.text(max_size=40), st.integers(), st.none())
times = st.one_of(
    st.none(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.booleans(),
)
targets = st.one_of(st.integers(min_value=-(2**64), max_value=2**64), st.text(max_size=12))
taps = st.fixed_dictionaries(
    {
        "action": st.sampled_from(
            ["ticket_bump", "line_bump", "recall", "handover", "void_ack", "dish_86", "dish_back"]
        ),
        "id": ids,
    },
    optional={
        "made_at": times,
        "sent_at": times,
        "order": targets,
        "placement": targets,
        "item": targets,
    },
)


@FUZZ
@given(tap=taps)
def test_it_answers_any_tap_over_http_without_an_error(site: Site, tap: dict[str, Any]) -> None:
    message = {k: v for k, v in tap.items() if v is not None}
    response = _over_http(site.cookie_a, message)

    assert response.status_code in (200, 409), response.content
    body = response.json()
    assert isinstance(body["ok"], bool)
    if not body["ok"] and isinstance(tap.get("id"), str) and len(tap["id"]) == 36:
        assert body.get("reason") in {
            "malformed",
            "gone",
            "already",
            "cancelled",
            "voided",
            "handed_over",
            "not_allowed",
            "too_late",
        }, body


@FUZZ
@given(tap=taps)
def test_it_answers_any_front_of_house_tap_without_an_error(
    site: Site, tap: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(foh_user(f"runner-{uuid.uuid4().hex[:8]}"))
    message = {k: v for k, v in tap.items() if v is not None}
    message["action"] = {"ticket_bump": "serve_order", "line_bump": "serve_line"}.get(
        str(message["action"]), "undo"
    )
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in message.items()}

    response = client.post("/foh/action/", data)

    assert response.status_code in (200, 409), response.content
    assert isinstance(response.json()["ok"], bool)
