"""`manage.py kds_run`: what `make run` ends with.

With --demo loads the demo restaurant first. Makes sure there is an admin login and
prints it with every address a newcomer needs (start page, admin, reports, front of
house, pick-up board, webhook, the screens' pairing links), all on the address the
server runs on, which it also writes down (settings.KDS_SERVED_URL_FILE) so commands
run from another terminal print the same. Then starts Daphne, the scheduler and
(unless --no-simulate) the order simulator, and stops them together.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from orders.models import OrderSource, Screen
from orders.ops.demo import demo_load
from orders.ops.links import address_lines, screen_lines, served_base_url


def admin_login(username: str = "admin") -> tuple[str, str]:
    """The demo admin login: created on first run, its password kept in var/ to print again."""
    password_file = settings.VAR_DIR / "admin-password"
    users = get_user_model()
    if password_file.exists() and users.objects.filter(username=username).exists():
        return username, password_file.read_text().strip()
    password = secrets.token_urlsafe(12)
    user = users.objects.filter(username=username).first() or users(username=username)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password)
    password_file.chmod(0o600)
    return username, password


def missing_from_the_system() -> list[str]:
    """What the distribution should provide and does not: said at start, never a crash."""
    import shutil

    from orders.kitchen.voice import MISSING as NO_SPEECH
    from orders.printing.fonts import FontMissing, font_files

    problems = []
    if not (settings.KDS_SPEECH_COMMAND_EN or shutil.which("espeak-ng")):
        problems.append(NO_SPEECH + " Screens whose browser cannot speak stay silent.")
    try:
        font_files()
    except FontMissing as exc:
        problems.append(str(exc))
    return problems


class Command(BaseCommand):
    help = "Prints the admin login and URLs, then runs Daphne, the scheduler and the simulator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--demo", action="store_true", help="load the demo restaurant first")
        parser.add_argument("--no-simulate", action="store_true", help="do not start the simulator")
        parser.add_argument("--rate", type=float, default=0.2, help="simulated messages per second")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535")
        # The simulator would refuse it too, but only once the server is up.
        if not options["no_simulate"] and not 0 < options["rate"] <= 1000:
            raise CommandError("--rate must be above 0 and at most 1000 messages per second")
        # KDS_BASE_URL set by hand (a proxy's public address) wins; else the links point
        # at the address served here.
        explicit = os.environ.get("KDS_BASE_URL", "").strip()
        base = settings.KDS_BASE_URL if explicit else served_base_url(host, port)
        if not explicit:
            settings.KDS_SERVED_URL_FILE.parent.mkdir(parents=True, exist_ok=True)
            settings.KDS_SERVED_URL_FILE.write_text(base + "\n")
        write = self.stdout.write
        if options["demo"]:
            result = demo_load()
            made = ", ".join(f"{n} {kind}" for kind, n in result.created.items() if n)
            write(
                f"Demo restaurant loaded: {made}." if result.changed else "Demo restaurant ready."
            )
            if result.new_secret:
                write(f"  {result.source.slug} signing secret (shown once): {result.new_secret}")
        username, password = admin_login()
        source = OrderSource.objects.filter(is_active=True).order_by("pk").first()

        write(self.style.SUCCESS(f"\nKitchen display is starting on {base}\n"))
        write(f"  Admin login     {username} / {password}")
        for line in address_lines(base=base):
            write(line)
        write("  Screens: open a pairing link in the browser that should become that screen")
        screens = Screen.objects.select_related("station").order_by(
            "restaurant_id", "station__position", "pk"
        )
        for line in screen_lines(base=base, screens=screens):
            write(line)
        write("    a new screen: .venv/bin/python manage.py kds_screen add --station SLUG\n")
        for problem in missing_from_the_system():
            write(self.style.WARNING(f"  Note: {problem}"))

        env = {**os.environ, "KDS_BASE_URL": base}
        reached_as = urlparse(base).hostname or ""
        if "ALLOWED_HOSTS" not in os.environ and reached_as not in settings.ALLOWED_HOSTS:
            # Listening on every interface: other devices ask for this machine by its
            # network address, which the default list does not hold.
            env["ALLOWED_HOSTS"] = ",".join([*settings.ALLOWED_HOSTS, reached_as])
        manage = str(settings.BASE_DIR / "manage.py")
        # The simulator posts here, on this machine, whatever address the links show.
        local = f"http://{'127.0.0.1' if host in {'', '0.0.0.0', '::'} else host}:{port}"
        commands = [
            [sys.executable, "-m", "daphne", "-b", host, "-p", str(port), "kds.asgi:application"],
            # Fires held courses, paced lines and scheduled orders on time.
            [sys.executable, manage, "kds_scheduler"],
        ]
        simulate: list[str] = []
        if source and not options["no_simulate"]:
            simulate = [sys.executable, manage, "kds_simulate", "--source", source.slug]
            simulate += ["--url", f"{local}{source.webhook_path}", "--rate", str(options["rate"])]
            simulate += ["--duration", "0", "--quiet"]
        # Stopped by Ctrl-C or `kill`, the children stop with it. (A shell starts a
        # background job with SIGINT ignored, which its children inherit: so they are
        # stopped with SIGTERM, and this process listens for both.)
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, _interrupt)
        processes: list[subprocess.Popen[bytes]] = []
        try:
            processes.extend(subprocess.Popen(c, env=env) for c in commands)
            if simulate and _wait_for(host, port, processes[0]):
                processes.append(subprocess.Popen(simulate, env=env))
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _wait_for(host: str, port: int, server: subprocess.Popen[bytes]) -> bool:
    """Whether the server accepts connections within 30 s (False if it exited)."""
    address = "127.0.0.1" if host in {"", "0.0.0.0", "::"} else host.strip("[]")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection((address, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False
