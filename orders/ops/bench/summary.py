"""The summary the benchmark prints: per step, baselines, and what bounds it."""

from __future__ import annotations

from .results import BenchReport, StepResult


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def summary_step_line(step: StepResult) -> str:
    return (
        f"  step {step.rate:>6g}/s: {step.acked}/{step.sent} acked, {step.errors} errors, "
        f"ack p99 {_ms(step.ack.p99)} ms, end-to-end p99 {_ms(step.e2e.p99)} ms, "
        f"{step.coalesced} changes coalesced — {step.verdict}"
    )


def _ratio(value: float | None, base: float | None) -> str:
    return "—" if value is None or not base else f"{value / base:.1f}×"


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return [line(header), sep, *(line(r) for r in rows)]


def summary(report: BenchReport) -> str:
    o = report.options
    t = report.target
    lines: list[str] = []
    lines.append(f"KDS benchmark{' — ' + o.label if o.label else ''}")
    lines.append("")
    for name, value in t.machine.items():
        lines.append(f"  {name:<14} {value}")
    servers = ", ".join(o.urls) if o.urls else o.url
    lines.append(f"  {'server':<14} {servers}")
    if o.processes:
        lines.append(
            f"  {'processes':<14} {o.processes} Daphne, started by the bench; screens and "
            "orders spread over them in turn"
        )
    if t.stores:
        lines.append(
            f"  {'restaurants':<14} {len(t.stores)} on this installation, one station each; "
            "orders sent to each in turn"
        )
    lines.append(
        f"  {'screens':<14} {report.screens_connected} connected to station {t.station!r} "
        f"in {report.connect_seconds:.1f} s"
    )
    lines.append(
        f"  {'settings':<14} rates {', '.join(f'{r:g}' for r in o.rates)}/s × "
        f"{o.step_seconds:g} s, ack p99 limit {o.ack_p99_limit_ms:g} ms, "
        f"end-to-end p99 limit {o.e2e_p99_limit_ms:g} ms, "
        f"board kept at ≤ {o.keep_open} tickets" + (" each" if t.stores else "")
    )
    lines.append("")
    h, layer = report.healthz, report.layer
    lines.append("Baselines")
    lines.extend(
        _table(
            [
                [
                    f"GET /healthz, {o.healthz_concurrency} concurrent",
                    f"{h.per_second:.0f}/s",
                    _ms(h.latency.p50),
                    _ms(h.latency.p99),
                    _ms(h.latency.max),
                    str(h.errors),
                    _ms(h.cpu_ms_per_request),
                ],
                [
                    f"channel layer round trip ({report.layer_name})",
                    f"{layer.per_second:.0f}/s",
                    _ms(layer.latency.p50),
                    _ms(layer.latency.p99),
                    _ms(layer.latency.max),
                    str(layer.errors),
                    "—",
                ],
            ],
            ["baseline", "throughput", "p50 ms", "p99 ms", "max ms", "errors", "server CPU ms/req"],
        )
    )
    lines.append("")
    lines.append(f"Intake with {report.screens_connected} screens (latencies in ms)")
    rows = []
    for s in report.steps:
        rows.append(
            [
                f"{s.rate:g}/s",
                f"{s.achieved:.1f}/s",
                str(s.errors + s.undelivered),
                _ms(s.ack.p50),
                _ms(s.ack.p99),
                _ms(s.e2e.p50),
                _ms(s.e2e.p99),
                _ms(s.e2e.max),
                _ms(s.cpu_ms_per_order),
                _ratio(s.cpu_ms_per_order, h.cpu_ms_per_request),
                _ratio(s.e2e.p50, layer.latency.p50),
                f"{s.patches}/{s.coalesced}",
                s.verdict,
            ]
        )
    lines.extend(
        _table(
            rows,
            [
                "offered",
                "achieved",
                "errors+late",
                "ack p50",
                "ack p99",
                "e2e p50",
                "e2e p99",
                "e2e max",
                "CPU/order",
                "÷ healthz CPU",
                "e2e p50 ÷ layer",
                "patches/coalesced",
                "verdict",
            ],
        )
    )
    lines.append(
        f"  ok: ack p99 < {o.ack_p99_limit_ms:g} ms and e2e p99 < {o.e2e_p99_limit_ms:g} ms; "
        "slow: every order stored and on every screen, later than that; FAIL: the knee "
        "(errors, tickets missing, or under 90 % of the rate offered): the run stops there"
    )
    lines.append(
        "  patches/coalesced: what screen 0 received, and the changes folded into a patch "
        "with others while a render was under way"
    )
    for s in report.steps:
        if s.error_kinds:
            kinds = ", ".join(f"{k}: {v}" for k, v in sorted(s.error_kinds.items()))
            lines.append(f"  errors at {s.rate:g}/s: {kinds}")
    lines.append("")
    best = report.sustainable
    lines.append("Summary")
    if best is None:
        lines.append("  sustainable intake: none of the steps (see the table)")
    else:
        ratio = best.achieved / h.per_second if h.per_second else 0.0
        lines.append(
            f"  sustainable intake: {best.rate:g} orders/s "
            f"= {ratio:.2f} × /healthz throughput ({h.per_second:.0f}/s)"
        )
        if best is report.steps[-1] and best.passed:
            lines.append("  (the highest step offered: the real limit may be higher)")
        if best.e2e.p99 is not None and layer.latency.p50:
            lines.append(
                f"  end-to-end p99 at {best.rate:g}/s: {best.e2e.p99:.1f} ms "
                f"= {best.e2e.p99 / layer.latency.p50:.0f} × a channel-layer round trip "
                f"({layer.latency.p50:.2f} ms)"
            )
    kept = [s for s in report.steps if s.kept_up]
    if kept:
        top = max(kept, key=lambda s: s.rate)
        lines.append(
            f"  kept up (every order stored and on every screen) up to {top.rate:g} orders/s"
            + (
                f"; the knee is at {report.steps[-1].rate:g}/s"
                if not report.steps[-1].kept_up
                else ""
            )
        )
    first_ack, healthz_p50 = (report.steps[0].ack.p50 if report.steps else None), h.latency.p50
    if first_ack and healthz_p50:
        lines.append(
            f"  ack p50 at {report.steps[0].rate:g}/s: {first_ack:.1f} ms "
            f"= {first_ack / healthz_p50:.1f} × /healthz p50 under load ({healthz_p50:.1f} ms)"
        )
    lines.append(
        f"  every screen got every ticket: {report.broadcasts_received}/"
        f"{report.broadcasts_expected} orders reached all "
        + (
            f"the screens of their restaurant's station ({report.screens_connected} screens "
            f"in {len(report.target.stores)} restaurants)"
            if report.target.stores
            else f"{report.screens_connected} screens"
        )
    )
    if report.store_orders:
        lines.append(
            f"  orders per restaurant, each on all its screens: {min(report.store_orders)}–"
            f"{max(report.store_orders)} (over {len(report.store_orders)} restaurants)"
        )
    if report.partial_reach is not None:
        lines.append(
            f"  the tickets that did not reach every screen in time reached "
            f"{report.partial_reach:.0%} of them on average"
        )
    lines.append(f"  run took {report.seconds:.1f} s")
    return "\n".join(lines)
