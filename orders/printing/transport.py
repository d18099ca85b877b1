"""Bytes to a network printer's raw port (9100), after asking it whether it has paper.

ESC/POS printers answer DLE EOT 4 (the paper sensor) with one status byte; bits 5
and 6 set mean the roll is out. A printer that does not answer in time is sent the
slip anyway (many cheap ones never answer). A refused or timed-out connection, a
reset or paper out raise PrinterUnavailable, and the job is tried again later.
"""

from __future__ import annotations

import socket

PAPER_STATUS = b"\x10\x04\x04"  # DLE EOT 4
PAPER_OUT = 0x60
CONNECT_TIMEOUT = 2.0
STATUS_TIMEOUT = 0.5
SEND_TIMEOUT = 10.0


class PrinterUnavailable(Exception):
    """The printer is off, unreachable, busy or out of paper; the message says which."""


def printer_send(*, host: str, port: int, data: bytes) -> None:
    """Sends one slip; returns when the printer has taken every byte."""
    try:
        sock = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise PrinterUnavailable(f"cannot connect to {host}:{port}: {exc}") from exc
    with sock:
        try:
            sock.settimeout(STATUS_TIMEOUT)
            sock.sendall(PAPER_STATUS)
            try:
                status = sock.recv(1)
            except TimeoutError:
                status = b""
            if status and status[0] & PAPER_OUT == PAPER_OUT:
                raise PrinterUnavailable(f"{host}:{port} is out of paper")
            sock.settimeout(SEND_TIMEOUT)
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError as exc:
            raise PrinterUnavailable(f"{host}:{port} stopped taking the slip: {exc}") from exc
