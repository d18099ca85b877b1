"""`manage.py kds_bench`: how fast a running deployment is, measured from outside.

Against a running server it connects M screens over real WebSockets, measures two
baselines — the server's `/healthz` throughput (what the framework and the stack allow)
and the channel layer's own round trip (what Redis allows) — then posts signed orders
at a rising rate. Each rate step is held for a few seconds; the highest step whose
acknowledgement p99 stays under the limit with no errors is the sustainable rate.

Two latencies per order:

- acknowledgement: from sending the webhook POST to its 201 answer;
- end to end: from sending the POST to the moment the *last* of the M screens has the
  ticket (its key first appears in a `board` or a `patch` it received).

To keep the station's board the size a real kitchen's is, the bench bumps its oldest
tickets through a screen's socket once more than `keep_open` are on the board, as a
cook would; bumps are station changes too, so they are broadcast like orders.

Everything here is asyncio in one process; the client shares the machine with the
server when both run on one box, and the report says so.
"""

from __future__ import annotations

from .clients import Deliveries, ScreenClient, connect_screen, ws_url
from .driver import Bench, order_message, run
from .results import (
    Baseline,
    BenchError,
    BenchOptions,
    BenchReport,
    Emit,
    Stats,
    StepResult,
    Store,
    Target,
    machine_info,
    process_cpu_seconds,
    raise_open_files_limit,
)
from .servers import Servers
from .setup import (
    BENCH_SLUG,
    local_cleanup,
    local_stack,
    local_target,
    pair_link,
    remote_target,
    server_stack,
)
from .summary import summary, summary_step_line

__all__ = [
    "BENCH_SLUG",
    "Baseline",
    "Bench",
    "BenchError",
    "BenchOptions",
    "BenchReport",
    "Deliveries",
    "Emit",
    "ScreenClient",
    "Servers",
    "Stats",
    "StepResult",
    "Store",
    "Target",
    "connect_screen",
    "local_cleanup",
    "local_stack",
    "local_target",
    "machine_info",
    "order_message",
    "pair_link",
    "process_cpu_seconds",
    "raise_open_files_limit",
    "remote_target",
    "run",
    "server_stack",
    "summary",
    "summary_step_line",
    "ws_url",
]
