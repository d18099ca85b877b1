"""A local Square Orders API: RetrieveOrder and UpdateOrder over real HTTP."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.fake_http import FakeHTTP, Received, serving

TOKEN = "EAAAl-test-access-token"


class FakeSquare:
    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}
        self.http = FakeHTTP(self.answer)

    @property
    def requests(self) -> list[Received]:
        return self.http.requests

    def fail_next(self, n: int) -> None:
        self.http.fail_next = n

    def answer(self, request: Received) -> tuple[int, Any]:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {"errors": [{"category": "AUTHENTICATION_ERROR", "code": "UNAUTHORIZED"}]}
        if not request.headers.get("square-version"):
            return 400, {"errors": [{"code": "MISSING_SQUARE_VERSION"}]}
        order_id = request.path.removeprefix("/v2/orders/")
        order = self.orders.get(order_id)
        if order is None:
            return 404, {"errors": [{"category": "INVALID_REQUEST_ERROR", "code": "NOT_FOUND"}]}
        if request.method == "PUT":
            update = request.json()["order"]
            if update.get("version") != order.get("version"):
                return 400, {"errors": [{"code": "VERSION_MISMATCH"}]}
            states = {f["uid"]: f["state"] for f in update.get("fulfillments", [])}
            for fulfillment in order.get("fulfillments", []):
                fulfillment["state"] = states.get(fulfillment["uid"], fulfillment["state"])
            order["version"] = order.get("version", 1) + 1
        return 200, {"order": copy.deepcopy(order)}


@contextmanager
def fake_square() -> Iterator[FakeSquare]:
    square = FakeSquare()
    with serving(square.http):
        yield square


def chinese_order(
    order_id: str = "eA3vssLHKJrv9H0IdJCM3gNqfdcZY", **changes: Any
) -> dict[str, Any]:
    """Our own Square order: a scheduled pickup of Chinese dishes with modifiers."""
    order: dict[str, Any] = {
        "id": order_id,
        "location_id": "FPYCBCHYMXFK1",
        "state": "OPEN",
        "version": 1,
        "created_at": "2026-11-21T04:00:00.000Z",
        "updated_at": "2026-11-21T04:00:00.000Z",
        "ticket_name": "A-17",
        "line_items": [
            {
                "uid": "li-mapo",
                "name": "Mapo tofu",
                "quantity": "2",
                "variation_name": "大份",
                "note": "peanut allergy 花生过敏",
                "modifiers": [{"uid": "m1", "name": "特辣 extra hot", "quantity": "1"}],
            },
            {"uid": "li-tea", "name": "菊花茶 Chrysanthemum tea", "quantity": "1.5"},
        ],
        "fulfillments": [
            {
                "uid": "VWJ1N9leLqjSDLvF2hvYjD",
                "type": "PICKUP",
                "state": "PROPOSED",
                "pickup_details": {
                    "recipient": {"display_name": "陈小姐"},
                    "schedule_type": "ASAP",
                    "note": "门口取餐",
                    "is_curbside_pickup": True,
                },
            }
        ],
    }
    order.update(changes)
    return order
