"""Screens: devices paired by a one-time link, their display and voice options, revocation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..actions.screens import screen_pairing_link, screen_revoke, screen_voice_test
from ..actions.settings import screen_save
from ..live.presence import screen_health
from ..models import (
    Announce,
    Screen,
    SpeechOutput,
    SpeechPath,
)
from .common import RestaurantDefaultMixin, changed_fields, screen_status


class ScreenForm(forms.ModelForm):
    class Meta:
        model = Screen
        fields = [
            "restaurant",
            "station",
            "name",
            "language",
            "font_size",
            "show_all_day",
            "announce",
            "speech_volume",
            "chime_before_speaking",
            "announce_late",
            "speech_output",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speech_output"].required = False

    def clean_speech_output(self) -> str:
        return str(self.cleaned_data.get("speech_output") or SpeechOutput.AUTO)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        station, restaurant = cleaned.get("station"), cleaned.get("restaurant")
        if (
            station is not None
            and restaurant is not None
            and station.restaurant_id != restaurant.pk
        ):
            self.add_error("station", _("Pick a station of %(r)s.") % {"r": restaurant})
        return cleaned


@admin.register(Screen)
class ScreenAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    form = ScreenForm
    list_display = ["name", "station", "online", "last_seen_at", "speaks", "app_version"]
    list_filter = ["station", "font_size", "announce", "restaurant"]
    list_select_related = ["station", "restaurant"]
    search_fields = ["name", "station__name"]
    readonly_fields = [
        "status",
        "pairing_link",
        "paired_at",
        "last_seen_at",
        "revoked_at",
        "online",
        "app_version",
        "languages",
        "speaks",
        "user_agent",
        "voice_test",
    ]
    actions = ["revoke_screens"]
    fieldsets = [
        (None, {"fields": ["restaurant", "station", "name"]}),
        (_("Display"), {"fields": ["language", "font_size", "show_all_day"]}),
        (
            _("Voice"),
            {
                "fields": [
                    "announce",
                    "speech_output",
                    "speech_volume",
                    "chime_before_speaking",
                    "announce_late",
                ]
            },
        ),
        (
            _("Pairing"),
            {"fields": ["status", "pairing_link", "paired_at", "last_seen_at", "revoked_at"]},
        ),
        (
            _("Health"),
            {
                "fields": [
                    "online",
                    "app_version",
                    "languages",
                    "speaks",
                    "user_agent",
                    "voice_test",
                ]
            },
        ),
    ]

    @admin.display(description=_("online"))
    def online(self, obj: Screen) -> str:
        if not obj.is_active:
            return screen_status(obj)  # revoked, or waiting for pairing
        now = timezone.now()
        health = screen_health(obj, now=now)
        if health.online:
            return format_html('<strong class="kds-online">● {}</strong>', _("Online"))
        if health.offline_since is None:
            return format_html('<span class="kds-offline">○ {}</span>', _("Never connected"))
        local = timezone.localtime(health.offline_since)
        today = local.date() == timezone.localtime(now).date()
        since = date_format(local, "H:i" if today else "SHORT_DATETIME_FORMAT")
        return format_html(
            '<strong class="kds-offline">○ {}</strong>', _("Offline since %(t)s") % {"t": since}
        )

    @admin.display(description=_("languages"))
    def languages(self, obj: Screen) -> str:
        health = screen_health(obj, now=timezone.now())
        if health.speaks == "off":
            return health.language
        return _("%(page)s, speaks %(speech)s") % {
            "page": health.language,
            "speech": health.speech_language,
        }

    @admin.display(description=_("speaks"))
    def speaks(self, obj: Screen) -> str:
        health = screen_health(obj, now=timezone.now())
        if health.speaks == "off":
            return str(_("Silent"))
        if not health.speaks:
            return str(_("Not reported yet"))
        return str(SpeechPath(health.speaks).label)

    @admin.display(description=_("test voice"))
    def voice_test(self, obj: Screen) -> str:
        if obj.pk is None or obj.announce_mode == Announce.OFF:
            return str(_("Set the screen to announce first."))
        url = reverse("admin:orders_screen_voice_test", args=[obj.pk])
        return format_html(
            '<a class="button" href="{}">{}</a><br><small>{}</small>',
            url,
            _("Test voice"),
            _(
                "The screen says a sample phrase the way it says orders (its voice or server audio)."
            ),
        )

    @admin.display(description=_("status"))
    def status(self, obj: Screen) -> str:
        return screen_status(obj)

    @admin.display(description=_("pairing link"))
    def pairing_link(self, obj: Screen) -> str:
        if obj.pk is None:
            return str(_("Save the screen first; its pairing link appears here."))
        parts = []
        if screen_status(obj) == str(_("Waiting for pairing")):
            parts.append(
                format_html(
                    '<a href="{}" class="kds-pairing-url">{}</a><br><small>{}</small><br>',
                    obj.pairing_url,
                    obj.pairing_url,
                    _("Open this link once on the device. It works once."),
                )
            )
        url_pair = reverse("admin:orders_screen_pair", args=[obj.pk])
        url_revoke = reverse("admin:orders_screen_revoke", args=[obj.pk])
        parts.append(
            format_html(
                '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
                url_pair,
                _("New pairing link"),
                url_revoke,
                _("Revoke"),
            )
        )
        return format_html_join("", "{}", ((p,) for p in parts))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:screen_id>/pair/",
                self.admin_site.admin_view(self.pair_view),
                name="orders_screen_pair",
            ),
            path(
                "<int:screen_id>/voice-test/",
                self.admin_site.admin_view(self.voice_test_view),
                name="orders_screen_voice_test",
            ),
            path(
                "<int:screen_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="orders_screen_revoke",
            ),
            *super().get_urls(),
        ]

    def _confirmed(
        self,
        request: HttpRequest,
        screen_id: int,
        *,
        title: str,
        text: str,
        button: str,
        run: Callable[[Screen], str],
    ) -> HttpResponse:
        """A screen's one-button page: GET asks (title, text, button), POST does `run`,
        which answers the message shown back on the screen's page."""
        screen = get_object_or_404(self.get_queryset(request), pk=screen_id)
        if not self.has_change_permission(request, screen):
            raise PermissionDenied
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title % {"s": screen.name},
                "object": screen,
                "text": text,
                "button": button,
            }
            return TemplateResponse(request, "admin/orders/screen/confirm.html", context)
        messages.success(request, run(screen))
        return HttpResponseRedirect(reverse("admin:orders_screen_change", args=[screen.pk]))

    def pair_view(self, request: HttpRequest, screen_id: int) -> HttpResponse:
        def pair(screen: Screen) -> str:
            url = screen_pairing_link(screen=screen)
            return format_html("{} <a href='{}'>{}</a>", _("Pairing link (works once):"), url, url)

        return self._confirmed(
            request,
            screen_id,
            title=str(_("New pairing link for %(s)s")),
            text=str(
                _(
                    "A new one-time link replaces any earlier one. A device already paired "
                    "stays paired; a revoked screen can be paired again with it."
                )
            ),
            button=str(_("Make a new link")),
            run=pair,
        )

    def revoke_view(self, request: HttpRequest, screen_id: int) -> HttpResponse:
        def revoke(screen: Screen) -> str:
            screen_revoke(screen=screen)
            return str(_("%(s)s is revoked.") % {"s": screen.name})

        return self._confirmed(
            request,
            screen_id,
            title=str(_("Revoke %(s)s")),
            text=str(
                _(
                    "The device stops showing the board at once and needs a new pairing "
                    "link to come back."
                )
            ),
            button=str(_("Revoke")),
            run=revoke,
        )

    def voice_test_view(self, request: HttpRequest, screen_id: int) -> HttpResponse:
        def voice_test(screen: Screen) -> str:
            screen_voice_test(screen=screen)
            return str(_("%(s)s is saying the test phrase now.") % {"s": screen.name})

        return self._confirmed(
            request,
            screen_id,
            title=str(_("Test the voice of %(s)s")),
            text=str(
                _(
                    "The screen says a sample phrase now, the way it says orders: with "
                    "the browser's voice, or audio from the server where it has none."
                )
            ),
            button=str(_("Test voice")),
            run=voice_test,
        )

    @admin.action(description=_("Revoke selected screens"), permissions=["change"])
    def revoke_screens(self, request: HttpRequest, queryset: QuerySet[Screen]) -> None:
        n = 0
        for screen in queryset.filter(revoked_at__isnull=True):
            screen_revoke(screen=screen)
            n += 1
        messages.success(
            request,
            ngettext("%(n)d screen revoked.", "%(n)d screens revoked.", n) % {"n": n},
        )

    def save_model(self, request: HttpRequest, obj: Screen, form: Any, change: bool) -> None:
        url = screen_save(screen=obj, fields=changed_fields(obj, form), change=change)
        if url:
            messages.success(
                request,
                format_html("{} <a href='{}'>{}</a>", _("Pairing link (works once):"), url, url),
            )
