"""The summary the benchmark prints: per step, baselines, and what bounds it."""

from __future__ import annotations

from .results import BenchReport, StepResult


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def summary_step_line(step: StepResult) -> str:
    verdict = "ok" if step.passed else "FAIL"
    return (
        f"  step {step.rate:>6g}/s: {step.acked}/{step.sent} acked, {step.errors} errors, "
        f"ack p99 {_ms(step.ack.p99)} ms, end-to-end p99 {_ms(step.e2e.p99)} ms — {verdict}"
    )


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
    lines.append(f"  {'server':<14} {o.url}")
    lines.append(
        f"  {'screens':<14} {report.screens_connected} connected to station {t.station!r} "
        f"in {report.connect_seconds:.1f} s"
    )
    lines.append(
        f"  {'settings':<14} rates {', '.join(f'{r:g}' for r in o.rates)}/s × "
        f"{o.step_seconds:g} s, ack p99 limit {o.ack_p99_limit_ms:g} ms, "
        f"board kept at ≤ {o.keep_open} tickets"
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
                _ms(s.ack.max),
                _ms(s.e2e.p50),
                _ms(s.e2e.p99),
                _ms(s.e2e.max),
                _ms(s.cpu_ms_per_order),
                "ok" if s.passed else "FAIL",
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
                "ack max",
                "e2e p50",
                "e2e p99",
                "e2e max",
                "CPU/order",
                "verdict",
            ],
        )
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
    first_ack, healthz_p50 = (report.steps[0].ack.p50 if report.steps else None), h.latency.p50
    if first_ack and healthz_p50:
        lines.append(
            f"  ack p50 at {report.steps[0].rate:g}/s: {first_ack:.1f} ms "
            f"= {first_ack / healthz_p50:.1f} × /healthz p50 under load ({healthz_p50:.1f} ms)"
        )
    lines.append(
        f"  every screen got every ticket: {report.broadcasts_received}/"
        f"{report.broadcasts_expected} orders reached all {report.screens_connected} screens"
    )
    if report.partial_reach is not None:
        lines.append(
            f"  the tickets that did not reach every screen in time reached "
            f"{report.partial_reach:.0%} of them on average"
        )
    lines.append(f"  run took {report.seconds:.1f} s")
    return "\n".join(lines)
