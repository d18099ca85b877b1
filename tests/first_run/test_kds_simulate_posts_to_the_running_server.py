"""`kds_simulate` without --url posts to the running server, stops on time, and says so
plainly when nothing listens."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.daphne import free_port
from tests.first_run.conftest import Install


def orders_stored(install: Install) -> int:
    with sqlite3.connect(install.var / "kds.sqlite3") as db:
        return int(db.execute("SELECT COUNT(*) FROM orders_order").fetchone()[0])


def test_it_posts_to_the_running_server_by_default(install: Install) -> None:
    server = install.start("--demo", "--no-simulate")

    done = install.manage(
        "kds_simulate", "--source", "pos", "--rate", "5", "--duration", "2", "--seed", "3"
    )

    assert done.returncode == 0, done.stderr
    assert f"Sending to {server.base}/webhooks/pos/" in done.stdout
    assert "gave up: 0" in done.stdout
    assert orders_stored(install) > 0


def test_it_says_plainly_that_nothing_listens(install: Install) -> None:
    assert install.manage("kds_demo").returncode == 0
    closed = free_port()
    (install.var / "served-url").write_text(f"http://127.0.0.1:{closed}\n")

    done = install.manage("kds_simulate", "--source", "pos", "--duration", "2")

    assert done.returncode == 1
    assert f"Nothing is listening at http://127.0.0.1:{closed}/webhooks/pos/" in done.stderr
    assert "make run" in done.stderr
    assert "Traceback" not in done.stderr
    assert "messages in" not in done.stdout  # it sent nothing


class _Answers:
    """A local HTTP server answering every POST with a fixed status."""

    def __init__(self, status: int) -> None:
        answers = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                answers.requests += 1
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(
                    b'{"error": "unavailable"}' if status >= 400 else b'{"status": "created"}'
                )

            def log_message(self, *args: object) -> None:
                pass

        self.requests = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/webhooks/pos/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def unavailable() -> Iterator[_Answers]:
    server = _Answers(503)
    yield server
    server.close()


def test_it_stops_on_time_while_the_server_answers_503(
    install: Install, unavailable: _Answers
) -> None:
    assert install.manage("kds_demo").returncode == 0

    done = install.manage(
        "kds_simulate",
        "--source",
        "pos",
        "--url",
        unavailable.url,
        "--rate",
        "1",
        "--duration",
        "1",
    )

    # One message was due; its retries would have run past the end, so they were cut.
    assert "1 messages in" in done.stdout
    assert "cut short by the end of the run: 1" in done.stdout
    assert "gave up: 0" in done.stdout
    assert done.returncode == 0, done.stderr
    assert 1 <= unavailable.requests < 4  # not every retry a sender would make


def test_it_gives_up_when_the_server_goes_away(install: Install) -> None:
    assert install.manage("kds_demo").returncode == 0
    gone = socket.socket()
    gone.bind(("127.0.0.1", 0))
    gone.listen()
    port = gone.getsockname()[1]
    # Accepts the start check, then nothing listens any more.

    def accept_once() -> None:
        gone.accept()[0].close()
        gone.close()

    threading.Thread(target=accept_once, daemon=True).start()

    done = install.manage(
        "kds_simulate",
        "--source",
        "pos",
        "--url",
        f"http://127.0.0.1:{port}/webhooks/pos/",
        "--rate",
        "5",
        "--duration",
        "120",
        "--give-up-after",
        "1",
    )

    assert done.returncode == 1
    assert f"Nothing has been listening at http://127.0.0.1:{port}/webhooks/pos/" in done.stderr
    assert "Is the server still running?" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate", "nan"], "--rate"),
        (["--rate", "1e308"], "--rate"),
        (["--duration", "inf"], "--duration"),
        (["--duration", "-1"], "--duration"),
        (["--give-up-after", "0"], "--give-up-after"),
        (["--count", "0"], "--count"),
        (["--count", str(2**63)], "--count"),
        (["--url", "ftp://x/webhooks/pos/"], "--url must be an http"),
        (["--url", "http://\x01/"], "--url must be an http"),  # argv cannot hold a NUL
    ],
)
def test_it_refuses_bad_arguments_plainly(install: Install, args: list[str], message: str) -> None:
    assert install.manage("kds_demo").returncode == 0

    done = install.manage("kds_simulate", "--source", "pos", *args)

    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
