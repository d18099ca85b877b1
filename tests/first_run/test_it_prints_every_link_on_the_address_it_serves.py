"""`make run PORT=…` prints links on that port, and so does every command run beside it."""

from __future__ import annotations

import signal
from urllib.parse import urlsplit

import httpx

from tests.first_run.conftest import URL, Install


def test_it_prints_every_link_on_the_port_it_serves(install: Install) -> None:
    server = install.start("--demo", "--no-simulate")

    urls = server.urls()
    assert urls, server.output
    assert all(f"{url}/".startswith(f"{server.base}/") for url in urls), server.output
    paths = [urlsplit(url).path for url in urls]
    for path in ("/", "/admin/", "/reports/", "/foh/", "/webhooks/pos/"):
        assert path in paths, server.output
    assert any(path.startswith("/pickup/") for path in paths)
    assert paths.count("/pair/") == 6  # one per demo station
    assert ":8000/" not in server.output


def test_every_printed_link_opens(install: Install) -> None:
    server = install.start("--demo", "--no-simulate")

    with httpx.Client(timeout=10, trust_env=False) as client:
        for url in server.urls()[1:]:  # the first is the base itself
            path = urlsplit(url).path
            response = client.get(url)
            if path.startswith("/webhooks/"):
                assert response.status_code == 405, url  # POST only
            elif path in ("/admin/", "/reports/", "/foh/"):
                assert response.status_code == 302, url  # to a login
            else:
                assert response.status_code == 200, (url, response.status_code)
        # A printed pairing link works: its code leads to the confirmation.
        pair = next(url for url in server.urls() if "/pair/#" in url)
        page = client.get(f"{server.base}/pair/")
        token = urlsplit(pair).fragment
        confirm = client.post(
            f"{server.base}/pair/",
            data={"token": token, "csrfmiddlewaretoken": page.cookies["csrftoken"]},
            headers={"Referer": f"{server.base}/pair/"},
        )
        assert confirm.status_code == 200
        assert 'data-pair-state="confirm"' in confirm.text


def test_commands_run_beside_it_print_its_address(install: Install) -> None:
    server = install.start("--demo", "--no-simulate")

    for args in (
        ["kds_screen", "add", "--station", "wok"],
        ["kds_pickup_link"],
        ["kds_source", "list"],
    ):
        done = install.manage(*args)
        assert done.returncode == 0, done.stderr
        printed = URL.findall(done.stdout)
        assert printed and all(u.startswith(f"{server.base}/") for u in printed), done.stdout


def test_kds_base_url_set_by_hand_wins(install: Install) -> None:
    install.start("--demo", "--no-simulate")

    done = install.manage(
        "kds_screen", "add", "--station", "wok", KDS_BASE_URL="https://kds.example.com/"
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("https://kds.example.com/pair/#")


def test_a_base_url_that_is_not_one_stops_with_its_name(install: Install) -> None:
    for bad in (
        "ftp://kds.example.com",
        "kds.example.com",
        "http://",
        "https://x/?a=1",
        "http://\x01",
    ):
        done = install.manage("kds_pickup_link", KDS_BASE_URL=bad)
        assert done.returncode != 0
        assert "KDS_BASE_URL must be an http:// or https:// address" in done.stderr


def test_it_stops_its_server_when_it_is_stopped(install: Install) -> None:
    server = install.start("--demo", "--no-simulate")

    server.process.send_signal(signal.SIGTERM)

    assert server.process.wait(timeout=20) == 0
    assert not server.listening()
