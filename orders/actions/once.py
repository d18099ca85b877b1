"""Every action a screen or the front-of-house tablet sends happens once, when it was made.

A device gives each tap an id of its own (a UUID) and keeps the tap until it has the
answer: it sends it again after a dropped connection, a reload or a reboot, over the
socket or over HTTP. `action_once` records the id in the transaction of the action's
effect, with the answer, so a second delivery of the same id, concurrent or days later,
changes nothing and gets the first answer.

The record is inserted first, in a savepoint. A concurrent delivery of the same id waits
on the unique index until the first one commits, then fails on it and reads the answer
that committed (the webhook's `WebhookMessage` works the same way). If the effect fails
(the database went away), the record goes with it and the next delivery runs the action.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ActionRecord
from ..safe_json import storable_id

Answer = dict[str, Any]

# Ids are kept this long: a device drops a waiting action long before (MAX_AGE).
KEEP_IDS = timedelta(days=7)
# A replayed action is dated at most this far back; a device gives up on actions older.
MAX_AGE = timedelta(hours=12)
# Milliseconds: anything outside is not a time a browser could have sent.
_MAX_MS = 2**53


class MalformedAction(ValueError):
    """The id or the times of an action are not what a screen sends."""


@dataclass(frozen=True)
class Stamp:
    """An action's id (None from a page older than ids) and when it was made."""

    action_id: uuid.UUID | None
    at: datetime


def _ms(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedAction(f"{name} is not a number")
    if not math.isfinite(value) or not 0 <= value <= _MAX_MS:
        raise MalformedAction(f"{name} is out of range")
    return int(value)


def action_stamp(content: Mapping[str, Any], *, now: datetime | None = None) -> Stamp:
    """The id and the time of an action from what the device sent.

    `made_at` and `sent_at` are milliseconds on the server's clock as the device knows it
    (its own clock plus the skew it measures on every sync). Only their difference is
    used, the age of the action when this copy left the device: an error in the device's
    clock or skew is in both and cancels out, so a screen an hour fast still dates its
    bump right. The age is clamped: negative (the future) is now, older than MAX_AGE is
    MAX_AGE ago. Over HTTP the values arrive as strings of digits.
    """
    now = now or timezone.now()
    raw_id = content.get("id")
    action_id = None
    if raw_id is not None:
        if not isinstance(raw_id, str) or len(raw_id) != 36:
            raise MalformedAction("id is not a UUID")
        try:
            action_id = uuid.UUID(raw_id)
        except ValueError:
            raise MalformedAction("id is not a UUID") from None
    made, sent = content.get("made_at"), content.get("sent_at")
    if made is None and sent is None:
        return Stamp(action_id, now)
    if made is None or sent is None:
        raise MalformedAction("made_at and sent_at go together")
    age_ms = _ms(_number(sent), "sent_at") - _ms(_number(made), "made_at")
    age = timedelta(milliseconds=min(max(age_ms, 0), MAX_AGE / timedelta(milliseconds=1)))
    return Stamp(action_id, now - age)


def _number(value: Any) -> Any:
    # HTTP form fields are strings: digits only (no signs, exponents, "nan").
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit() or len(value) > 16:
            raise MalformedAction("not a number of milliseconds")
        return int(value)
    return value


def action_answer(
    ok: bool, *, content: Mapping[str, Any], reason: str | None = None, **extra: Any
) -> Answer:
    """{"ok": …} and `extra`; a tap with an id (every tap of the current pages) also gets
    its "id" back and, when refused, the "reason". Older pages get what they always had."""
    answer: Answer = {"ok": ok, **extra}
    action_id = content.get("id")
    if isinstance(action_id, str):
        answer["id"] = action_id
        if not ok and reason is not None:
            answer["reason"] = str(reason)
    return answer


def target_id(value: Any) -> int:
    """The id of an order, line or placement an action names (`safe_json.storable_id`)."""
    try:
        return storable_id(value)
    except ValueError:
        raise MalformedAction("not an id") from None


def actor_key(*, screen_id: int | None = None, user_id: int | None = None) -> str:
    if (screen_id is None) == (user_id is None):
        raise ValueError("exactly one of screen_id or user_id")
    return f"screen:{screen_id}" if screen_id is not None else f"user:{user_id}"


def action_once(
    *,
    actor: str,
    stamp: Stamp,
    action: str,
    run: Callable[[], Answer],
) -> Answer:
    """Runs `run` once per (actor, id) and returns its answer, the first one on a repeat.

    Without an id (a page loaded before ids existed) it simply runs.
    """
    if stamp.action_id is None:
        return run()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ActionRecord.objects.create(
                    actor=actor, action_id=stamp.action_id, action=action[:20], made_at=stamp.at
                )
        except IntegrityError:
            first = (
                ActionRecord.objects.filter(actor=actor, action_id=stamp.action_id)
                .values_list("answer", flat=True)
                .first()
            )
            if first is None:  # pruned between the insert and the read: it is long done
                return {"ok": False, "reason": "expired"}
            return dict(first)
        answer = run()
        ActionRecord.objects.filter(pk=record.pk).update(answer=answer)
    return answer


def action_records_prune(*, now: datetime | None = None, keep: timedelta = KEEP_IDS) -> int:
    """Forgets the ids of actions recorded more than `keep` ago; returns how many."""
    now = now or timezone.now()
    deleted, _ = ActionRecord.objects.filter(recorded_at__lt=now - keep).delete()
    return deleted
