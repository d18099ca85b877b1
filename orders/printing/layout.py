"""A slip as rows of text, in the restaurant's language: what the station's screen shows.

Header: REPRINT and the kind (VOID, ADDED, ORDER CANCELLED) as banners, the number,
table or customer, order type, RUSH/VIP, the station and the time; then each line with
its quantity, name (the menu's Chinese name first in Chinese), modifiers, allergens
and allergy notes in bold, grouped by course; the order's note last.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, pgettext

from ..kitchen.allergies import allergens_shown
from ..kitchen.speech import is_chinese
from ..models import Channel, PrintKind, Priority


def printable(text: object) -> str:
    """Text with control characters (ESC, GS, NUL …) made spaces: a dish name from a
    webhook must never reach the printer as a command."""
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch
        for ch in str(text)
    )


@dataclass(frozen=True)
class Row:
    """One printed row. `big` is double width and height; `tall` double height only."""

    text: str = ""
    big: bool = False
    tall: bool = False
    bold: bool = False
    invert: bool = False
    center: bool = False
    indent: int = 0
    rule: bool = False  # a dashed line across the paper

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", printable(self.text))


def has_cjk(text: str) -> bool:
    """True when the text has characters a printer's Latin code pages do not have."""
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def _time(value: str, time_zone: str) -> str:
    try:
        at = datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(time_zone))
    except (ValueError, OverflowError, zoneinfo.ZoneInfoNotFoundError):
        return ""  # a time the zone pushes past year 1 or 9999: printed without it
    return at.strftime("%H:%M")


def _kind_banner(kind: str) -> str:
    return {
        PrintKind.VOID: pgettext("printed slip", "VOID"),
        PrintKind.ADDED: pgettext("printed slip", "ADDED"),
        PrintKind.CANCELLED: pgettext("printed slip", "ORDER CANCELLED"),
    }.get(kind, "")  # type: ignore[call-overload]


def _line_rows(line: dict[str, Any], *, kind: str, chinese: bool) -> list[Row]:
    qty = int(line.get("qty") or 0)
    name = str(line.get("name") or "")
    name_zh = str(line.get("name_zh") or "")
    shown = name_zh if chinese and name_zh else name
    sign = "-" if kind in (PrintKind.VOID, PrintKind.CANCELLED) else ""
    rows = [Row(f"{sign}{qty} x {shown}", tall=True, bold=True)]
    if shown != name:
        rows.append(Row(name, indent=4))
    rows += [Row(f"+ {m}", indent=4) for m in line.get("modifiers") or []]
    if line.get("allergens"):
        label = gettext("ALLERGENS")
        shown_allergens = allergens_shown(str(line["allergens"]))
        rows.append(Row(f"! {label}: {shown_allergens}", indent=4, bold=True))
    if line.get("notes"):
        allergy = bool(line.get("allergy_note"))
        rows.append(Row(("! " if allergy else "> ") + str(line["notes"]), indent=4, bold=allergy))
    if line.get("seat"):
        rows.append(Row(gettext("Seat %(n)s") % {"n": line["seat"]}, indent=4))
    return rows


def ticket_rows(
    payload: dict[str, Any], *, language: str, time_zone: str, reprint: bool = False
) -> list[Row]:
    """The rows of one slip; `reprint` adds the REPRINT banner."""
    chinese = is_chinese(language)
    kind = str(payload.get("kind") or PrintKind.TICKET)
    with translation.override(language):
        rows: list[Row] = []
        if reprint:
            rows.append(
                Row(pgettext("printed slip", "REPRINT"), big=True, invert=True, center=True)
            )
        banner = _kind_banner(kind)
        if banner:
            rows.append(Row(banner, big=True, invert=True, center=True))
        rows.append(Row(f"#{payload.get('number', '')}", big=True, bold=True))
        channel = str(payload.get("channel") or "")
        channel_label = str(Channel(channel).label) if channel in Channel.values else channel
        table = str(payload.get("table") or "")
        where = f"{gettext('Table')} {table}" if table else channel_label
        rows.append(Row(where, tall=True, bold=True))
        details = [channel_label] if table else []
        if payload.get("customer"):
            details.append(str(payload["customer"]))
        if details:
            rows.append(Row(" · ".join(details)))
        flags = [
            label
            for value, label in ((Priority.RUSH, gettext("RUSH")), (Priority.VIP, gettext("VIP")))
            if payload.get("priority") == value
        ]
        if flags:
            rows.append(Row("  ".join(flags), tall=True, bold=True, invert=True))
        at = _time(str(payload.get("at") or ""), time_zone)
        placed = _time(str(payload.get("placed_at") or ""), time_zone)
        when = f"{placed} / {at}" if at and placed and at != placed else (at or placed)
        rows.append(Row(f"{payload.get('station', '')}  {when}"))
        rows.append(Row(rule=True))
        lines = list(payload.get("lines") or [])
        courses = sorted({int(li.get("course") or 1) for li in lines})
        for course in courses:
            if len(courses) > 1 or course > 1:
                rows.append(
                    Row(f"-- {gettext('Course %(n)s') % {'n': course}} --", bold=True, center=True)
                )
            for line in lines:
                if int(line.get("course") or 1) == course:
                    rows += _line_rows(line, kind=kind, chinese=chinese)
        rows.append(Row(rule=True))
        if payload.get("notes"):
            allergy = bool(payload.get("notes_allergy"))
            rows.append(Row(("! " if allergy else "") + str(payload["notes"]), bold=allergy))
    return rows
