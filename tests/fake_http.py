"""A real HTTP server on a free local port, for the vendors' APIs and webhook receivers.

`FakeHTTP(answer)` serves every request with `answer(request)` → (status, JSON body);
`fail_next` makes the next N requests answer 500 first. Every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Answer = Callable[[Received], tuple[int, Any]]


@dataclass
class FakeHTTP:
    answer: Answer
    fail_next: int = 0
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, received: Received) -> tuple[int, Any]:
        with self.lock:
            self.requests.append(received)
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500, {"errors": [{"category": "API_ERROR", "code": "INTERNAL"}]}
        return self.answer(received)


@contextmanager
def serving(fake: FakeHTTP) -> Iterator[FakeHTTP]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            received = Received(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            status, body = fake.handle(received)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
