"""`manage.py kds_run`: what `make run` ends with.

Makes sure there is an admin login and prints it, prints the URLs of the admin,
the screens and the webhook, then starts Daphne, the scheduler and (unless
--no-simulate) the order simulator, and stops them together.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from orders.models import OrderSource, Screen

PASSWORD_FILE = Path(settings.BASE_DIR) / "var" / "admin-password"


def admin_login(username: str = "admin") -> tuple[str, str]:
    """The demo admin login: created on first run, its password kept in var/ to print again."""
    users = get_user_model()
    if PASSWORD_FILE.exists() and users.objects.filter(username=username).exists():
        return username, PASSWORD_FILE.read_text().strip()
    password = secrets.token_urlsafe(12)
    user = users.objects.filter(username=username).first() or users(username=username)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
    PASSWORD_FILE.write_text(password)
    PASSWORD_FILE.chmod(0o600)
    return username, password


class Command(BaseCommand):
    help = "Prints the admin login and URLs, then runs Daphne, the scheduler and the simulator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-simulate", action="store_true", help="do not start the simulator")
        parser.add_argument("--rate", type=float, default=0.2, help="simulated messages per second")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535")
        base = f"http://{host}:{port}"
        username, password = admin_login()
        source = OrderSource.objects.filter(is_active=True).order_by("pk").first()

        write = self.stdout.write
        write(self.style.SUCCESS("\nKitchen display is starting.\n"))
        write(f"  Admin      {base}/admin/   login: {username} / {password}")
        write(f"  Reports    {base}/reports/")
        if source:
            write(f"  Webhook    {base}{source.webhook_path}   (manage.py kds_source list)")
        write("  Screens    open a pairing link in the browser that should become that screen:")
        for screen in Screen.objects.select_related("station").order_by("station__position"):
            link = screen.pairing_url_at(base) or "already paired"
            write(f"     {screen.station.name:<14} {link}")
        write("             a new link: manage.py kds_screen add --station SLUG\n")

        env = {**os.environ, "KDS_BASE_URL": base}
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "daphne",
                    "-b",
                    host,
                    "-p",
                    str(port),
                    "kds.asgi:application",
                ],
                env=env,
            ),
            # Fires held courses, paced lines and scheduled orders on time.
            subprocess.Popen([sys.executable, "manage.py", "kds_scheduler"], env=env),
        ]
        if source and not options["no_simulate"]:
            time.sleep(2)
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "kds_simulate",
                        "--source",
                        source.slug,
                        "--url",
                        f"{base}{source.webhook_path}",
                        "--rate",
                        str(options["rate"]),
                        "--duration",
                        "0",
                        "--quiet",
                    ],
                    env=env,
                )
            )
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
