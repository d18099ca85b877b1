"""Setting up a run: a bench restaurant and screens here (local), or pairing links (remote)."""

from __future__ import annotations

import httpx
from tqdm import tqdm

from .results import BenchError, Store, Target

BENCH_SLUG = "kds-bench"


def local_cleanup() -> None:
    """Removes what an earlier local run left: the bench restaurants, orders and screens."""
    from ...models import Order, Restaurant

    Order.objects.filter(restaurant__slug__startswith=BENCH_SLUG).delete()
    Restaurant.objects.filter(slug__startswith=BENCH_SLUG).delete()


def local_target(screens: int, restaurants: int = 1) -> Target:
    """Restaurants of the bench's own in this process's database, each with one fallback
    station and a signed source, and `screens` paired screens dealt to them in turn (their
    cookies made here, so the server must share this process's SECRET_KEY and
    DATABASE_URL). One restaurant is "kds-bench"; a chain is kds-bench-1 … kds-bench-N."""
    from django.db import transaction

    from ...actions.screens import screen_pair
    from ...models import OrderSource, Restaurant, Screen, SourceSecret, Station
    from ...screens.pairing import screen_cookie_value

    local_cleanup()
    stores: list[Store] = []
    stations: list[Station] = []
    with transaction.atomic():
        for r in range(restaurants):
            slug = BENCH_SLUG if restaurants == 1 else f"{BENCH_SLUG}-{r + 1}"
            name = "KDS benchmark" if restaurants == 1 else f"KDS benchmark {r + 1}"
            restaurant = Restaurant.objects.create(name=name, slug=slug)
            station = Station.objects.create(
                restaurant=restaurant, name="Bench", slug="bench", is_fallback=True, position=1
            )
            source = OrderSource.objects.create(restaurant=restaurant, name="Benchmark", slug=slug)
            secret = SourceSecret.objects.create(source=source).secret
            stores.append(Store(source=source.slug, secret=secret, screens=[]))
            stations.append(station)
        Screen.objects.bulk_create(
            [
                Screen(
                    restaurant_id=stations[i % restaurants].restaurant_id,
                    station=stations[i % restaurants],
                    name=f"bench {i + 1}",
                )
                for i in range(screens)
            ]
        )
    cookies: list[str] = []
    for screen in Screen.objects.filter(station__in=stations).order_by("pk"):
        paired = screen_pair(token=screen.pairing_token or "")
        if paired is None:
            raise BenchError(f"could not pair bench screen {screen.pk}")
        stores[stations.index(screen.station)].screens.append(len(cookies))
        cookies.append(screen_cookie_value(screen=paired))
    first = stores[0]
    return Target(
        source=first.source,
        secret=first.secret,
        station="bench" if restaurants == 1 else f"bench, in each of {restaurants} restaurants",
        cookies=cookies,
        stores=stores if restaurants > 1 else [],
    )


def local_stack() -> dict[str, str]:
    """The database and channel layer this process is configured with, with versions."""
    from django.conf import settings
    from django.db import connection

    info: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                info["database"] = f"PostgreSQL {cursor.fetchone()[0]}"  # type: ignore[index]
            else:
                cursor.execute("select sqlite_version()")
                info["database"] = f"SQLite {cursor.fetchone()[0]}"  # type: ignore[index]
    except Exception as exc:
        info["database"] = f"{connection.vendor} ({type(exc).__name__})"
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"]).rsplit(".", 1)[-1]
    info["channel layer"] = backend
    redis_url = getattr(settings, "REDIS_URL", None)
    if backend == "RedisChannelLayer" and redis_url:
        try:
            import redis

            client = redis.Redis.from_url(redis_url, socket_timeout=2)
            info["channel layer"] = f"{backend}, Redis {client.info()['redis_version']}"
            client.close()
        except Exception:
            pass
    return info


def pair_link(client: httpx.Client, url: str) -> tuple[str, str]:
    """Pairs as a browser would from a link like https://host/pair/#<token>.

    Returns the screen cookie and the station's name. The token goes only in POST
    bodies, as kds/pair.js sends it, never in a URL. The client's cookies are cleared
    afterwards, so the next link pairs as a new device.
    """
    import re

    page_url, _, token = url.partition("#")
    if not token:
        raise BenchError(f"{url} is not a pairing link (expected …/pair/#<code>)")
    page = client.get(page_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or csrf is None:
        raise BenchError(f"{page_url} is not a pairing page (HTTP {page.status_code})")
    form = {"csrfmiddlewaretoken": csrf.group(1), "token": token}
    headers = {"Referer": page_url}
    confirm = client.post(page_url, data=form, headers=headers)
    if confirm.status_code != 200:
        raise BenchError(f"{page_url}: the pairing code does not work (HTTP {confirm.status_code})")
    found = re.search(r"<strong>([^<]+)</strong>", confirm.text)
    paired = client.post(page_url, data={**form, "confirm": "1"}, headers=headers)
    cookie = paired.cookies.get("kds_screen")
    if paired.status_code != 302 or not cookie:
        raise BenchError(f"pairing at {page_url} failed (HTTP {paired.status_code})")
    client.cookies.clear()
    return cookie, found.group(1) if found else "?"


def remote_target(
    *, base: str, source: str, secret: str, pairing_urls: list[str], progress: bool
) -> Target:
    """Pairs one screen per pairing URL over HTTP, as a browser would."""
    cookies: list[str] = []
    station = ""
    with (
        httpx.Client(trust_env=False, timeout=10) as client,
        tqdm(total=len(pairing_urls), desc="pairing screens", disable=not progress) as bar,
    ):
        for url in pairing_urls:
            cookie, station_name = pair_link(client, url)
            station = station or station_name
            cookies.append(cookie)
            bar.update(1)
    return Target(source=source, secret=secret, station=station, cookies=cookies)


def server_stack(base: str) -> dict[str, str]:
    """The server's own view of its database and channel layer, from /healthz."""
    try:
        response = httpx.get(f"{base.rstrip('/')}/healthz", timeout=10, trust_env=False)
    except httpx.HTTPError as exc:
        raise BenchError(f"the server at {base} does not answer: {exc}") from None
    if response.status_code != 200:
        raise BenchError(f"{base}/healthz answered {response.status_code}: {response.text[:200]}")
    body = response.json()
    return {
        "server database": str(body.get("database", {}).get("vendor", "?")),
        "server layer": str(body.get("channel_layer", {}).get("backend", "?")),
    }
