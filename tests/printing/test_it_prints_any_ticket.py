"""Any payload prints: whatever names, notes and numbers a webhook carried (control
characters, NUL, Chinese, emoji, very long text), the bytes hold only commands a
printer knows, start with initialise and end with a cut."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from orders.printing.encode import ticket_bytes
from orders.printing.layout import ticket_rows
from tests.printing.escpos_decode import decode

texts = st.text(max_size=120) | st.sampled_from(
    ["\x1b@\x1dV\x00", "肥牛\x00加辣", "🌶️🔥", "x" * 600, "\x1c&乱码\x1c.", ""]
)
line = st.fixed_dictionaries(
    {
        "qty": st.integers(min_value=0, max_value=2**63),
        "name": texts,
        "name_zh": texts,
        "modifiers": st.lists(texts, max_size=4),
        "notes": texts,
        "allergy_note": st.booleans(),
        "allergens": texts,
        "course": st.integers(min_value=1, max_value=9),
        "seat": st.none() | st.integers(min_value=1, max_value=9999),
    }
)
payload = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["ticket", "added", "void", "cancelled", "bogus"]),
        "number": texts,
        "table": texts,
        "customer": texts,
        "channel": st.sampled_from(["dine_in", "takeout", "x"]),
        "priority": st.sampled_from(["normal", "rush", "vip"]),
        "notes": texts,
        "placed_at": st.sampled_from(
            ["2025-01-01T12:00:00+00:00", "9999-12-31T23:59:59+00:00", "nonsense"]
        ),
        "at": st.sampled_from(["0001-01-01T00:00:00+00:00", "2025-01-01T12:00:00+00:00", ""]),
        "station": texts,
        "lines": st.lists(line, max_size=4),
    }
)


@settings(max_examples=30, deadline=None)
@given(payload=payload, chinese_font=st.booleans(), width=st.sampled_from([384, 576]))
def test_it_encodes_any_ticket(payload: dict[str, Any], chinese_font: bool, width: int) -> None:
    rows = ticket_rows(payload, language="zh-hans", time_zone="Asia/Shanghai", reprint=True)
    data = ticket_bytes(rows, width_dots=width, chinese_font=chinese_font)
    printed = decode(data)  # raises on any command it does not know
    assert printed.initialised_first and printed.cut_last
    for image in printed.images:
        assert image.width <= width
