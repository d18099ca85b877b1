"""The same request several times at the same instant, as a device that retries while its
first copies are still out: `at_once` runs calls in threads of their own and releases
them together; `Poster` posts to a live server with a page's CSRF token."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
Go = Callable[[], None]


def at_once(*calls: Callable[[Go], T]) -> list[T]:
    """Runs each call in a thread of its own; each calls `go()` once it is ready to send
    (connected, say), and all of them go on at the same instant. Their results, in order."""
    barrier = threading.Barrier(len(calls))

    def go() -> None:
        barrier.wait()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(call, go) for call in calls]
        return [f.result(timeout=120) for f in futures]


class Poster:
    """Posts forms to `base` as the device with `cookies`, with the CSRF token `page` sets."""

    def __init__(self, base: str, *, page: str, cookies: dict[str, str]) -> None:
        with httpx.Client(cookies=cookies) as client:
            self.csrf = client.get(f"{base}{page}").cookies["csrftoken"]
        self.base = base
        self.cookies = {**cookies, "csrftoken": self.csrf}

    def post(self, path: str, data: dict[str, Any]) -> Callable[[Go], httpx.Response]:
        """A call for `at_once`: the post, sent when released."""

        def call(go: Go) -> httpx.Response:
            with httpx.Client(timeout=60, cookies=self.cookies) as client:
                go()
                return client.post(
                    f"{self.base}{path}",
                    data={k: str(v) for k, v in data.items()},
                    headers={"X-CSRFToken": self.csrf},
                )

        return call
