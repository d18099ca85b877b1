"""A real TCP listener standing in for an ESC/POS network printer.

It records the bytes of every connection, answers the paper-status query (DLE EOT 4)
with `status` (0x12: paper present; 0x72: roll out), and can be switched off (the port
refuses connections) and on again on the same port.
"""

from __future__ import annotations

import socket
import threading
import time

PAPER_STATUS = b"\x10\x04\x04"
PAPER_OK = 0x12
PAPER_OUT = 0x72


class FakePrinter:
    def __init__(self) -> None:
        self.slips: list[bytes] = []
        self.status = PAPER_OK
        self._server: socket.socket | None = None
        self._lock = threading.Lock()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()

    def on(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def off(self) -> None:
        if self._server is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not,
            # and the port would go on accepting.
            try:
                self._server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._server.close()
            self._server = None

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        data = b""
        conn.settimeout(10)
        with conn:
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    if data + chunk == PAPER_STATUS or (not data and chunk == PAPER_STATUS):
                        conn.sendall(bytes([self.status]))
                        data = b""
                        continue
                    data += chunk
            except OSError:
                pass
        if data.startswith(PAPER_STATUS):
            data = data[len(PAPER_STATUS) :]
        if data:
            with self._lock:
                self.slips.append(data)

    def wait_for(self, count: int, timeout: float = 20) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.slips) >= count:
                    return list(self.slips)
            time.sleep(0.05)
        return list(self.slips)
