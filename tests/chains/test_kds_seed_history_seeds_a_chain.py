"""`kds_seed_history --restaurants N` spreads the history over a chain of N stores."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.models import Line, Order, Restaurant


def seed(*args: str) -> str:
    out = StringIO()
    call_command("kds_seed_history", *args, "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_spreads_the_lines_over_the_stores(db: None) -> None:
    out = seed("--lines", "61", "--days", "3", "--restaurants", "3", "--restaurant", "cq")
    stores = list(Restaurant.objects.order_by("slug").values_list("slug", flat=True))
    assert stores == ["cq-1", "cq-2", "cq-3"]
    per_store = [Line.objects.filter(restaurant__slug=s).count() for s in stores]
    assert sum(per_store) == 61 and per_store == [21, 20, 20]
    # Each store its own stream: their orders differ.
    times = [
        sorted(Order.objects.filter(restaurant__slug=s).values_list("placed_at", flat=True))[:5]
        for s in stores
    ]
    assert times[0] != times[1]
    assert out.count("Seeded") == 3


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--restaurants", "0"], "--restaurants must be between 1 and 1000"),
        (["--restaurants", "1001"], "--restaurants must be between 1 and 1000"),
        (["--restaurants", str(2**63)], "--restaurants must be between 1 and 1000"),
        (["--restaurants", "5", "--lines", "4"], "--lines must be at least --restaurants"),
    ],
)
def test_it_refuses_a_bad_chain(db: None, args: list[str], says: str) -> None:
    with pytest.raises(CommandError, match=says):
        seed("--lines", "10", *args) if "--lines" not in args else seed(*args)
    assert not Restaurant.objects.exists()
