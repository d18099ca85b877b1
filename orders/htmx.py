"""Pages that swap a part of themselves with htmx: one partial for the page load and the swap.

A view renders `template` for a page load and `template#partial` for an htmx request
(django-htmx's `request.htmx`), so the markup has one source; a Back that htmx asks for
again (`HX-History-Restore-Request`) gets the whole page. The answer varies on
`HX-Request`, so no cache hands a partial to a page load.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


def swapping(request: HttpRequest) -> bool:
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def page_or_partial(request: HttpRequest, template: str, partial: str) -> str:
    """`template`, or its `partial` when the request swaps."""
    return f"{template}#{partial}" if swapping(request) else template


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response
