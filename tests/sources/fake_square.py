"""A local Square Orders API: RetrieveOrder and UpdateOrder over real HTTP.

UpdateOrder keeps each idempotency key with the request it came with, as Square does:
the same key with the same request answers as the first time, the same key with a
different request is refused (Square's docs, "Idempotency")."""

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
        self.keys: dict[str, tuple[Any, tuple[int, Any]]] = {}
        # The next N reads are followed by a change at Square (a customer's edit), so an
        # update made from what was read meets a newer version.
        self.changed_after_read = 0

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
            return self._update(order, request.json())
        answer = 200, {"order": copy.deepcopy(order)}
        if self.changed_after_read > 0:
            self.changed_after_read -= 1
            order["version"] = order.get("version", 1) + 1
        return answer

    def _update(self, order: dict[str, Any], body: dict[str, Any]) -> tuple[int, Any]:
        key = str(body.get("idempotency_key"))
        answer: tuple[int, Any]
        if key in self.keys:
            first, answer = self.keys[key]
            if first != body:
                return 400, {"errors": [{"code": "IDEMPOTENCY_KEY_REUSED"}]}
            return answer
        update = body["order"]
        if update.get("version") != order.get("version"):
            answer = 400, {"errors": [{"code": "VERSION_MISMATCH"}]}
        else:
            states = {f["uid"]: f["state"] for f in update.get("fulfillments", [])}
            for fulfillment in order.get("fulfillments", []):
                fulfillment["state"] = states.get(fulfillment["uid"], fulfillment["state"])
            order["version"] = order.get("version", 1) + 1
            answer = 200, {"order": copy.deepcopy(order)}
        self.keys[key] = (copy.deepcopy(body), answer)
        return answer


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
