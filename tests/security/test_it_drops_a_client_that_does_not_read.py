"""A paired screen that asks for boards and never reads them cannot make a real server
hold them: Daphne buffers what a client has not read without bound (3,000 resyncs grew a
server by 1.3 GiB), so a socket with more than KDS_SOCKET_SEND_BUFFER_BYTES waiting is
dropped, and the server carries on."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
from pathlib import Path

import httpx
import pytest
from django.test import Client

from orders.models import Screen
from tests import factories
from tests.browser.server import KdsServer, database_env

pytestmark = pytest.mark.django_db(transaction=True)


def long_order(n: int) -> dict[str, object]:
    items = [
        {"id": f"l{i}", "name": f"Dish number {i}", "quantity": 1, "notes": "n" * 300}
        for i in range(200)
    ]
    return factories.order_body(f"o-{n}", number=str(n), items=items)


def masked_text(text: str) -> bytes:
    """One client→server text frame (clients must mask)."""
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81]) + (
        bytes([0x80 | len(payload)])
        if len(payload) < 126
        else bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    )
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def open_without_reading(port: int, cookie: str) -> socket.socket:
    """A WebSocket whose client reads nothing at all after the handshake."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a window that fills at once
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /ws/screen/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Cookie: kds_screen={cookie}\r\n\r\n"
        ).encode()
    )
    return sock


def test_it_drops_a_socket_whose_client_reads_nothing(
    kitchen: factories.Kitchen, tmp_path: Path
) -> None:
    from django.db import connection

    for n in range(8):  # about a megabyte of tickets
        response = factories.post_webhook(kitchen.source.slug, kitchen.secret, long_order(n))
        assert response.status_code == 201
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.fallback)
    paired = Client().post("/pair/", {"token": screen.pairing_token, "confirm": "1"})
    cookie = paired.cookies["kds_screen"].value
    log = tmp_path / "daphne.log"
    env = {
        **database_env(dict(connection.settings_dict)),
        "KDS_SOCKET_SEND_BUFFER_BYTES": str(256 * 1024),
        "KDS_LOG_FORMAT": "json",
    }
    server = KdsServer(env=env, log_path=log)
    server.start()
    try:
        sock = open_without_reading(server.port, cookie)
        for _ in range(5):  # what the rate limit lets through: each is a whole board
            sock.sendall(masked_text(json.dumps({"action": "resync"})))
        deadline = time.monotonic() + 60
        while "socket_not_reading" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "socket_not_reading" in log.read_text(), log.read_text()[-3000:]

        # The connection is gone: reading now ends (or is reset) well short of the boards.
        sock.settimeout(10)
        received = 0
        try:
            while chunk := sock.recv(65536):
                received += len(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
        sock.close()
        assert received < 4 * 1_000_000
        # And the server serves everyone else.
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code in (200, 503)
        records = [json.loads(line) for line in log.read_text().splitlines() if "{" in line[:1]]
        dropped = [r for r in records if r.get("event") == "socket_not_reading"]
        assert dropped and dropped[0]["waiting"] > 256 * 1024
    finally:
        server.stop()
