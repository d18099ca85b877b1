"""The page of a device that is not paired names, per station, a command that pairs one;
run as it is shown, in a shell on the server, it prints a pairing link."""

from __future__ import annotations

import html
import os
import re
import subprocess

from django.db import connection
from django.test import Client

from orders.models import Screen, Station
from tests import factories
from tests.browser.server import database_env


def shown_commands() -> tuple[str, list[tuple[str, str]]]:
    response = Client().get("/screen/")
    assert response.status_code == 403
    block = re.search(r'<pre class="pairing-commands">(.*?)</pre>', response.content.decode(), re.S)
    assert block, "no commands on the page"
    lines = html.unescape(block.group(1)).strip().splitlines()
    assert lines[0].startswith("cd ")
    commands = []
    for line in lines[1:]:
        command, _, station = line.partition("   # ")
        commands.append((station.strip(), command.strip()))
    return lines[0][3:], commands


def run_shown(directory: str, command: str) -> subprocess.CompletedProcess[str]:
    """The command as a manager would paste it into a shell on the server."""
    env = {**os.environ, **database_env(dict(connection.settings_dict))}
    env.pop("KDS_BASE_URL", None)
    return subprocess.run(
        command, shell=True, cwd=directory, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_command_shown_for_a_station_pairs_a_screen(transactional_db: None) -> None:
    kitchen = factories.make_kitchen()
    directory, commands = shown_commands()
    assert [station for station, _ in commands] == ["Kitchen", "Expo"]

    done = run_shown(directory, commands[0][1])

    assert done.returncode == 0, done.stderr
    screen = Screen.objects.get(station=kitchen.fallback)
    assert done.stdout.strip().endswith(f"/pair/#{screen.pairing_token}")


def test_it_names_the_restaurant_where_station_slugs_repeat(transactional_db: None) -> None:
    factories.make_kitchen("north")
    south = factories.make_kitchen("south")
    directory, commands = shown_commands()
    assert len(commands) == 4
    assert all("--restaurant" in command for _, command in commands), commands
    wanted = "--station kitchen --restaurant south"

    done = run_shown(directory, next(c for _, c in commands if c.endswith(wanted)))

    assert done.returncode == 0, done.stderr
    assert Screen.objects.get().station == south.fallback
    assert Station.objects.count() == 4


def test_without_stations_it_says_to_add_one(db: None) -> None:
    response = Client().get("/screen/")

    assert response.status_code == 403
    assert "There is no station yet" in response.content.decode()
