"""The orders domain: restaurants, sources, stations, menu, orders and their event log.

Writes that change what a screen shows go through `orders/actions/` and
`orders/intake/`; they run in one transaction, bump the affected stations' sequence
numbers in it, and broadcast after commit.
"""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .expressions import Seconds


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and the base64 of 24 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Channel(models.TextChoices):
    DINE_IN = "dine_in", _("Dine-in")
    TAKEOUT = "takeout", _("Takeout")
    DELIVERY = "delivery", _("Delivery")
    DRIVE_THRU = "drive_thru", _("Drive-through")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    RUSH = "rush", _("Rush")
    VIP = "vip", _("VIP")


class Language(models.TextChoices):
    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Simplified Chinese")


def default_time_zone() -> str:
    """A new restaurant's time zone: the installation's (KDS_TIME_ZONE) when it is made.

    A callable, so the migrations name this function, not the value of the setting:
    a value would make `migrate` report a change whenever the setting differs."""
    return str(settings.TIME_ZONE)


def default_language() -> str:
    """A new restaurant's language: the installation's (KDS_LANGUAGE) when it is made."""
    return str(settings.LANGUAGE_CODE)


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


class Brand(models.Model):
    """A chain's brand: one menu (BrandDish) its restaurants share, each able to differ."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClockFormat(models.TextChoices):
    H24 = "24h", _("24-hour (18:30)")
    H12 = "12h", _("12-hour (6:30 PM)")


class Restaurant(models.Model):
    """One location. Sources, stations, screens, the menu and orders each belong to one."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=default_language
    )
    # Every time on its screens and lists, in its time zone (orders.kitchen.clock).
    clock_format = models.CharField(
        _("clock"), max_length=3, choices=ClockFormat.choices, default=ClockFormat.H24
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The secret of the pick-up board's link (/pickup/#<token>), rotated or revoked (None)
    # on its own by `manage.py kds_pickup_link` (orders/actions/pickup.py), never by a save.
    pickup_token = models.CharField(
        _("pick-up link code"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        default=new_token,
        editable=False,
    )
    # Bumped (in the database, F() + 1) by every save or delete of a dish, routing rule or
    # station of the restaurant (orders.actions.settings): intake keeps the menu and the
    # routing table in memory per version instead of reading them for every order.
    menu_version = models.PositiveBigIntegerField(default=0, editable=False)
    brand = models.ForeignKey(
        Brand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="restaurants",
        verbose_name=_("brand"),
        help_text=_("Its menu follows the brand's, except where this restaurant differs."),
    )

    class Meta:
        verbose_name = _("restaurant")
        verbose_name_plural = _("restaurants")
        ordering = ["name"]
        permissions = [
            (
                "manage_every_restaurant",
                "Can see and manage every restaurant (chain administrator)",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Never write back the menu version this instance was loaded with: a bump made
        # since (a dish saved meanwhile) would be lost, and intake would keep a stale menu.
        # Nor the pick-up link's code: a rotation since must not be undone by a save.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in ("menu_version", "pickup_token")
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"time_zone": _("Not a known time zone.")}) from None


class Membership(models.Model):
    """A user belongs to a restaurant: they see and manage it, and only the restaurants
    they belong to (orders.access), unless they are a chain administrator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    restaurant = models.ForeignKey(
        Restaurant,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("restaurant"),
    )

    class Meta:
        verbose_name = _("restaurant membership")
        verbose_name_plural = _("restaurant memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "restaurant"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.restaurant}"


class SourceKind(models.TextChoices):
    """How a source's requests are verified, deduplicated and mapped (orders/intake/sources/)."""

    STANDARD = "standard", _("Our contract (Standard Webhooks)")
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    SQUARE = "square", "Square"
    DELIVERECT = "deliverect", "Deliverect"


class OrderSource(models.Model):
    """A POS, online-ordering site or aggregator that posts orders to `/webhooks/<slug>/`."""

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="sources")
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True, help_text=_("Appears in the webhook URL."))
    kind = models.CharField(
        _("kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.STANDARD
    )
    # Vendor kinds only (docs/sources.md): the vendor's location to accept orders from
    # (Square location ID, Deliverect location ID; empty accepts all), and the API
    # credentials used to fetch orders (Square) and to write statuses back.
    vendor_location = models.CharField(
        _("vendor location ID"),
        max_length=64,
        blank=True,
        help_text=_("Square or Deliverect location ID. Empty: accept every location."),
    )
    api_client_id = models.CharField(_("API client ID"), max_length=200, blank=True)
    api_secret = models.CharField(_("API access token"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    default_priority = models.CharField(
        _("default priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("order source")
        verbose_name_plural = _("order sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def webhook_path(self) -> str:
        return f"/webhooks/{self.slug}/"

    def valid_secrets(self, *, now: Any = None) -> list[str]:
        now = now or timezone.now()
        return [s.secret for s in self.secrets.all() if s.expires_at is None or s.expires_at > now]

    def rotate_secret(self, *, secret: str | None = None) -> SourceSecret:
        """A new secret (ours, or the vendor's new one); the ones in use stay valid for
        the grace period, so senders can switch."""
        now = timezone.now()
        grace = now + timedelta(hours=settings.KDS_SECRET_ROTATION_GRACE_HOURS)
        self.secrets.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=grace)).update(
            expires_at=grace
        )
        if secret is None:
            return SourceSecret.objects.create(source=self)
        return SourceSecret.objects.create(source=self, secret=secret)


class SourceSecret(models.Model):
    source = models.ForeignKey(OrderSource, on_delete=models.CASCADE, related_name="secrets")
    secret = models.CharField(_("secret"), max_length=100, default=new_webhook_secret)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("source secret")
        verbose_name_plural = _("source secrets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.secret[:10]}…"


class StationKind(models.TextChoices):
    PREP = "prep", _("Prep")
    EXPO = "expo", _("Expo")


class HeldCourseDisplay(models.TextChoices):
    # Held tickets always come after the live ones.
    SHOW = "show", _("Show as a compact strip")
    FULL = "full", _("Show in full, greyed")
    HIDE = "hide", _("Hide until fired")


class Station(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=StationKind.choices, default=StationKind.PREP
    )
    colour = models.CharField(_("colour"), max_length=7, default="#3b82f6", validators=[hex_colour])
    position = models.PositiveSmallIntegerField(_("order on screen"), default=0)
    is_fallback = models.BooleanField(
        _("fallback"),
        default=False,
        help_text=_("Gets every line no routing rule matches, including dishes not on the menu."),
    )
    warning_minutes = models.PositiveSmallIntegerField(
        _("warning after (minutes)"), default=5, validators=[MinValueValidator(1)]
    )
    late_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes)"), default=8, validators=[MinValueValidator(1)]
    )
    # Speech, for screens of this station that speak (expo by default).
    speech_language = models.CharField(
        _("speech language"),
        max_length=10,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: the restaurant's language."),
    )
    speech_voice = models.CharField(_("voice"), max_length=100, blank=True)
    speech_rate = models.FloatField(
        _("speech rate"), default=1.0, validators=[MinValueValidator(0.5), MaxValueValidator(2.0)]
    )
    # Courses and pacing.
    held_course_display = models.CharField(
        _("held courses"),
        max_length=10,
        choices=HeldCourseDisplay.choices,
        default=HeldCourseDisplay.SHOW,
    )
    auto_fire_next_course = models.BooleanField(
        _("fire next course when the previous one is ready"), default=True
    )
    course_delay_minutes = models.PositiveSmallIntegerField(
        _("fire next course after (minutes)"),
        null=True,
        blank=True,
        help_text=_("Empty: no automatic firing by delay."),
    )
    pacing = models.BooleanField(
        _("pacing"),
        default=False,
        help_text=_("Hold quick dishes so an order's dishes finish together."),
    )
    # The board's sequence number: incremented in the same transaction as every change
    # a screen of this station must see, so a screen can notice a missed message.
    seq = models.BigIntegerField(default=0, editable=False)
    # Printers (orders/printing): a backup printer prints this station's tickets once no
    # screen of it has been live for this long. The two times below are kept by the
    # scheduler's presence check (`orders.actions.presence`), not edited.
    print_backup_after_seconds = models.PositiveIntegerField(
        _("backup printing after (seconds)"),
        default=60,
        validators=[MinValueValidator(10), MaxValueValidator(3600)],
        help_text=_(
            "Backup printers print this station's tickets once none of its screens has "
            "been live for this long."
        ),
    )
    screens_offline_since = models.DateTimeField(
        _("no live screen since"), null=True, blank=True, editable=False
    )
    backup_printing_since = models.DateTimeField(
        _("backup printing since"), null=True, blank=True, editable=False
    )

    # When `station.offline` was last sent for this station (`orders.actions.presence`);
    # cleared when a screen is live again, so each outage is reported once.
    offline_reported_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "seq",
            "screens_offline_since",
            "backup_printing_since",
            "offline_reported_at",
        ]
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["restaurant", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "slug"], name="station_slug_unique"),
            models.UniqueConstraint(
                fields=["restaurant"],
                condition=Q(is_fallback=True),
                name="one_fallback_station",
                violation_error_message=_("A restaurant has exactly one fallback station."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.warning_minutes is not None and self.late_minutes is not None:
            if self.warning_minutes >= self.late_minutes:
                errors["warning_minutes"] = _("The warning must come before late.")
        if self.is_fallback and self.kind != StationKind.PREP:
            errors["is_fallback"] = _("The fallback station must be a prep station.")
        if errors:
            raise ValidationError(errors)


class FontSize(models.TextChoices):
    M = "m", _("Normal")
    L = "l", _("Large")
    XL = "xl", _("Extra large")


class Announce(models.TextChoices):
    # The default: follows the station's kind, so a new expo screen speaks at once.
    STATION = "station", _("As the station: expo says whole orders, prep is silent")
    OFF = "off", _("Silent")
    ITEM = "item", _("Each dish")
    ORDER = "order", _("Whole orders")


class SpeechOutput(models.TextChoices):
    AUTO = "auto", _("The browser's voice, else the server's audio")
    SERVER = "server", _("Always the server's audio")


class SpeechPath(models.TextChoices):
    BROWSER = "browser", _("Browser voice")
    SERVER = "server", _("Server audio")
    NONE = "none", _("Cannot play sound")


class Screen(models.Model):
    """A device that shows one station's board. A device, not a user: it is paired once."""

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="screens")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="screens")
    name = models.CharField(_("name"), max_length=60)
    # One-time pairing token; cleared when the link is used.
    pairing_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, default=new_token
    )
    pairing_expires_at = models.DateTimeField(_("pairing link expires"), null=True, blank=True)
    paired_at = models.DateTimeField(_("paired"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    # Display options.
    font_size = models.CharField(
        _("font size"), max_length=4, choices=FontSize.choices, default=FontSize.M
    )
    show_all_day = models.BooleanField(_("show all-day panel"), default=True)
    # A Chinese kitchen's expo may be English-speaking: a screen's own language wins.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: the restaurant's. Its words, dish names and voice."),
    )
    # Voice: whether and how loud this screen speaks; language, voice and rate are the station's.
    announce = models.CharField(
        _("announce"), max_length=10, choices=Announce.choices, default=Announce.STATION
    )
    speech_volume = models.FloatField(
        _("volume"), default=1.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    chime_before_speaking = models.BooleanField(_("chime before speaking"), default=True)
    announce_late = models.BooleanField(_("announce late orders"), default=False)
    speech_output = models.CharField(
        _("speech output"),
        max_length=10,
        choices=SpeechOutput.choices,
        default=SpeechOutput.AUTO,
        help_text=_(
            "Server audio works on every device (Android kiosks, a Raspberry Pi without "
            "voices): the server makes the sound and the screen plays it."
        ),
    )
    # Health, kept by the screen's connections (`orders.actions.screens`): online while a
    # socket is open and its heartbeat (`last_seen_at`) is fresh.
    connected_at = models.DateTimeField(_("connected"), null=True, blank=True, editable=False)
    disconnected_at = models.DateTimeField(_("disconnected"), null=True, blank=True, editable=False)
    app_version = models.CharField(_("app version"), max_length=40, blank=True, editable=False)
    speech_path = models.CharField(
        _("speaks through"), max_length=10, choices=SpeechPath.choices, blank=True, editable=False
    )
    user_agent = models.CharField(_("browser"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("screen")
        verbose_name_plural = _("screens")
        ordering = ["station__position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.station})"

    @property
    def is_active(self) -> bool:
        return self.paired_at is not None and self.revoked_at is None

    @property
    def pairing_stamp(self) -> int:
        """Which pairing this is: the pairing time in microseconds (0: never paired).
        Cookies and open sockets carry it, so pairing the screen again ends them."""
        return int(self.paired_at.timestamp() * 1_000_000) if self.paired_at else 0

    @property
    def announce_mode(self) -> str:
        """What the screen says out loud: its own choice, or its station's default (an
        expo station's screens say whole orders, a prep station's nothing)."""
        if self.announce != Announce.STATION:
            return self.announce
        return Announce.ORDER if self.station.kind == StationKind.EXPO else Announce.OFF

    def new_pairing_link(self) -> str:
        self.pairing_token = new_token()
        self.pairing_expires_at = timezone.now() + timedelta(days=7)
        self.save(update_fields=["pairing_token", "pairing_expires_at"])
        return self.pairing_url

    @property
    def pairing_url(self) -> str:
        return self.pairing_url_at(settings.KDS_BASE_URL)

    def pairing_url_at(self, base: str) -> str:
        if not self.pairing_token:
            return ""
        # The token goes in the #fragment: browsers never send it, so no access log,
        # proxy log or Referer header ever holds it (orders/screens/views.py: pair).
        return f"{base}/pair/#{self.pairing_token}"


class Measure(models.TextChoices):
    """How a dish is counted aloud in Chinese: the measure word after the number (两份,
    三杯). `orders.kitchen.speech` says each one."""

    PORTION = "portion", _("portion (份)")
    BOWL = "bowl", _("bowl (碗)")
    PLATE = "plate", _("plate (盘)")
    CUP = "cup", _("cup (杯)")
    BOTTLE = "bottle", _("bottle (瓶)")
    CAN = "can", _("can (罐)")
    TEAPOT = "teapot", _("teapot (壶)")
    POT = "pot", _("pot (锅)")
    SKEWER = "skewer", _("skewer (串)")
    PIECE = "piece", _("piece (个)")
    BASKET = "basket", _("steamer basket (笼)")


class MenuCategory(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name (English)"), max_length=80)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    measure = models.CharField(
        _("measure word"),
        max_length=10,
        choices=Measure.choices,
        blank=True,
        help_text=_(
            "How its dishes are counted aloud in Chinese (两份, 两碗 …); a dish may say "
            "otherwise. Empty: 份."
        ),
    )

    class Meta:
        verbose_name = _("menu category")
        verbose_name_plural = _("menu categories")
        ordering = ["restaurant", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "name"], name="category_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} / {self.name_zh}" if self.name_zh else self.name


class MenuItem(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="menu_items")
    category = models.ForeignKey(
        MenuCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    prep_minutes = models.PositiveSmallIntegerField(
        _("target prep time (minutes)"), default=5, validators=[MinValueValidator(1)]
    )
    default_course = models.PositiveSmallIntegerField(
        _("default course"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    warning_minutes = models.PositiveSmallIntegerField(
        _("warning after (minutes)"),
        null=True,
        blank=True,
        help_text=_("Empty: the station's."),
    )
    late_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes)"), null=True, blank=True, help_text=_("Empty: the station's.")
    )
    allergens = models.CharField(
        _("allergens"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, e.g. peanut, sesame."),
    )
    measure = models.CharField(
        _("measure word"),
        max_length=10,
        choices=Measure.choices,
        blank=True,
        help_text=_("How it is counted aloud in Chinese (两份, 两串 …). Empty: its category's."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # "86": sold out for now, set from a station screen or the admin (`orders.actions.menu`).
    is_available = models.BooleanField(
        _("available"), default=True, help_text=_("Off: 86, shown flagged on every screen.")
    )
    unavailable_since = models.DateTimeField(_("86 since"), null=True, blank=True)
    # The brand's dish this one follows (orders.actions.brand), and the fields of it this
    # restaurant sets itself: a change of those on the brand's dish leaves this one alone.
    brand_dish = models.ForeignKey(
        "BrandDish",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("brand's dish"),
        editable=False,
    )
    own_fields = models.JSONField(_("set by this restaurant"), default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")
        ordering = ["restaurant", "category__position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["restaurant", "sku"], name="menu_item_sku_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} / {self.name_zh}" if self.name_zh else self.name

    @property
    def spoken_measure(self) -> str:
        """Its measure word: its own, else its category's, else 份 (portion)."""
        category = self.category if self.category_id else None
        return self.measure or (category.measure if category else "") or Measure.PORTION

    def clean(self) -> None:
        if self.warning_minutes and self.late_minutes and self.warning_minutes >= self.late_minutes:
            raise ValidationError({"warning_minutes": _("The warning must come before late.")})


class BrandDish(models.Model):
    """A dish of the brand's menu. Each restaurant of the brand has a MenuItem that
    follows it (same SKU); routing rules stay per restaurant."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="dishes")
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    category = models.CharField(_("category (English)"), max_length=80, blank=True)
    category_zh = models.CharField(_("category (Chinese)"), max_length=80, blank=True)
    prep_minutes = models.PositiveSmallIntegerField(
        _("target prep time (minutes)"), default=5, validators=[MinValueValidator(1)]
    )
    default_course = models.PositiveSmallIntegerField(
        _("default course"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    allergens = models.CharField(_("allergens"), max_length=200, blank=True)
    measure = models.CharField(
        _("measure word"), max_length=10, choices=Measure.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("brand dish")
        verbose_name_plural = _("brand menu")
        ordering = ["brand", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "sku"], name="brand_dish_sku_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class RoutingRule(models.Model):
    """Sends matching lines to prep stations. Rules are tried in order; the first match wins.

    An empty condition matches anything, so a rule with no conditions catches every
    line and makes every rule after it unreachable.
    """

    restaurant = models.ForeignKey(
        Restaurant, on_delete=models.CASCADE, related_name="routing_rules"
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=80, blank=True)
    menu_item = models.ForeignKey(
        MenuItem, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("menu item")
    )
    category = models.ForeignKey(
        MenuCategory, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("category")
    )
    channel = models.CharField(
        _("order channel"), max_length=12, choices=Channel.choices, blank=True
    )
    source = models.ForeignKey(
        OrderSource, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("order source")
    )
    stations = models.ManyToManyField(
        Station,
        related_name="routing_rules",
        verbose_name=_("stations"),
        limit_choices_to={"kind": StationKind.PREP},
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[stations])

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["restaurant", "position", "pk"]

    def __str__(self) -> str:
        return self.name or _("Rule %(n)s") % {"n": self.position}


class OrderStatus(models.TextChoices):
    OPEN = "open", _("In the kitchen")
    READY = "ready", _("Ready")
    SERVED = "served", _("Served")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="orders")
    source = models.ForeignKey(OrderSource, on_delete=models.PROTECT, related_name="orders")
    external_id = models.CharField(_("sender's order id"), max_length=64)
    number = models.CharField(_("number"), max_length=16, blank=True)
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.DINE_IN
    )
    table = models.CharField(_("table"), max_length=16, blank=True)
    guests = models.PositiveIntegerField(_("guests"), null=True, blank=True)
    customer_name = models.CharField(_("customer"), max_length=64, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    placed_at = models.DateTimeField(_("placed"), db_index=True)
    fire_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # The sender's `timestamp` of the state last applied; older messages are stale.
    # Senders that number versions (Square) also leave the version: a lower one is stale.
    state_at = models.DateTimeField(null=True, blank=True)
    state_version = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrderStatus.choices,
        default=OrderStatus.OPEN,
        db_index=True,
    )
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    served_at = models.DateTimeField(_("served"), null=True, blank=True)
    # Set when an update added dishes after the order was served or handed over: it is
    # back on the screens, flagged as an addition (orders/intake/lines.py).
    reopened_at = models.DateTimeField(_("reopened by an addition"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # For the reports: ready to served in seconds, for orders not cancelled. Computed
    # and stored by the database whenever the row changes, so no writer sets it.
    serve_seconds = models.GeneratedField(
        expression=models.Case(
            models.When(~Q(status="cancelled"), then=Seconds("served_at", "ready_at")),
            default=None,
            output_field=models.FloatField(),
        ),
        output_field=models.FloatField(null=True),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at"]
        # Who may do what is a permission, never a group's name: renaming a group in the
        # admin keeps its members' access. Migration 0005 gives them to the staff groups.
        permissions = [
            ("serve_order", "Can serve orders at front of house"),
            ("view_reports", "Can view speed-of-service reports"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="order_external_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["restaurant", "status", "placed_at"]),
            # The reports read a period's orders from this index alone.
            models.Index(
                fields=["restaurant", "placed_at"],
                include=["id", "channel", "status", "serve_seconds"],
                name="order_report_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.display_number}"

    @property
    def display_number(self) -> str:
        """The number every screen shows and the voice says: the sender's, else its id."""
        return self.number or self.external_id


class LineStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    VOIDED = "voided", _("Voided")


class Line(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    external_id = models.CharField(_("sender's line id"), max_length=64)
    menu_item = models.ForeignKey(MenuItem, on_delete=models.SET_NULL, null=True, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"))
    # Voided by updates (removed, or quantity lowered), cumulative.
    voided_quantity = models.PositiveIntegerField(_("voided quantity"), default=0)
    modifiers = models.JSONField(_("modifiers"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    course = models.PositiveSmallIntegerField(_("course"), default=1)
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True)
    unmapped = models.BooleanField(_("not on the menu"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.ACTIVE
    )
    added_by_update = models.BooleanField(_("added by an update"), default=False)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    position = models.PositiveSmallIntegerField(default=0)
    # Copies of the order's facts, for the reports (orders/reports/), so a year of
    # lines is read from one index without joining the orders. Set when the line is
    # created; intake's `_update` (placed_at, channel) and `_cancel` keep them right.
    restaurant = models.ForeignKey(
        Restaurant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        editable=False,
    )
    order_placed_at = models.DateTimeField(editable=False)
    order_channel = models.CharField(max_length=12, choices=Channel.choices, editable=False)
    order_cancelled = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        ordering = ["order", "course", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], name="line_external_id_unique")
        ]
        indexes = [
            models.Index(
                fields=["restaurant", "order_placed_at"],
                include=["order_channel", "order_cancelled", "quantity", "voided_quantity"],
                name="line_report_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity}× {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.order_placed_at is None:
            self.copy_order_facts(self.order)
        super().save(*args, **kwargs)

    def copy_order_facts(self, order: Order) -> None:
        """Copies the order's restaurant, placed_at, channel and cancellation onto the line."""
        self.restaurant_id = order.restaurant_id
        self.order_placed_at = order.placed_at
        self.order_channel = order.channel
        self.order_cancelled = order.status == OrderStatus.CANCELLED


class TicketState(models.TextChoices):
    HELD = "held", _("Held")
    LIVE = "live", _("Cooking")
    READY = "ready", _("Ready")


class LineStation(models.Model):
    """A line on one station's board: where routing put it and how far that station got."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="placements")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="placements")
    state = models.CharField(max_length=10, choices=TicketState.choices, default=TicketState.LIVE)
    # When the line is due to leave "held" (course delay, pacing, scheduled orders).
    hold_until = models.DateTimeField(null=True, blank=True, db_index=True)
    # Timers count from here: arrival, or firing for a held line.
    fired_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # A void the station has not acknowledged yet keeps the line on the board, struck through.
    void_pending = models.BooleanField(default=False)
    # Sent back by expo: shown flagged.
    sent_back = models.BooleanField(default=False)
    # Copies of the line's and the order's facts, for the reports (orders/reports/):
    # a year of tickets is read from one index, joining neither lines nor orders.
    # Set when the placement is created (`kitchen.courses.plan_placements`, or `save()`);
    # intake keeps them right: `_update` (placed_at, channel), `_void` and
    # `_update_line` (quantities, `counts`), `_cancel` (`counts`). Ticket times are
    # still read from `fired_at` and `ready_at`, so the bump, recall, firing and
    # send-back actions write nothing extra.
    restaurant = models.ForeignKey(
        Restaurant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        editable=False,
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        editable=False,
    )
    # The line's dish. Not kept in step if a menu item is deleted (the line's becomes
    # NULL): the reports look dishes up by id, so a deleted one drops out either way.
    menu_item = models.ForeignKey(
        MenuItem,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
        editable=False,
    )
    order_placed_at = models.DateTimeField(editable=False)
    order_channel = models.CharField(max_length=12, choices=Channel.choices, editable=False)
    quantity = models.PositiveIntegerField(default=0, editable=False)
    voided_quantity = models.PositiveIntegerField(default=0, editable=False)
    # The line is not fully voided and the order not cancelled: its time counts.
    counts = models.BooleanField(default=True, editable=False)
    # The ticket time in seconds, from `fired_at` to `ready_at`, when it counts: the
    # ticket is ready and `counts` is set; else NULL. Computed and stored by the
    # database whenever the row changes (a bump, a recall, a send-back, a void…),
    # so no writer sets it.
    ticket_seconds = models.GeneratedField(
        expression=models.Case(
            models.When(Q(state="ready", counts=True), then=Seconds("ready_at", "fired_at")),
            default=None,
            output_field=models.FloatField(),
        ),
        output_field=models.FloatField(null=True),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "station"], name="line_station_unique")
        ]
        indexes = [
            models.Index(fields=["station", "state"]),
            # The reports: every placement of a period (counts of orders, dishes, voids)…
            # Keyed by station first, so a period's rows come out grouped by station
            # (a station belongs to one restaurant: `restaurant` is only included).
            models.Index(
                fields=["station", "order_placed_at"],
                include=[
                    "restaurant",
                    "order",
                    "order_channel",
                    "counts",
                    "quantity",
                    "voided_quantity",
                ],
                name="linestation_report_idx",
            ),
            # …and the tickets that count, with their times.
            models.Index(
                fields=["station", "order_placed_at"],
                include=["restaurant", "ticket_seconds", "menu_item", "order_channel", "quantity"],
                condition=Q(ticket_seconds__isnull=False),
                name="linestation_ticket_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} @ {self.station}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.order_placed_at is None:
            self.copy_line_facts(self.line, self.line.order)
        super().save(*args, **kwargs)

    def copy_line_facts(self, line: Line, order: Order) -> None:
        """Copies what the reports need from the line and its order onto the placement."""
        self.restaurant_id = order.restaurant_id
        self.order_id = order.pk
        self.menu_item_id = line.menu_item_id
        self.order_placed_at = order.placed_at
        self.order_channel = order.channel
        self.quantity = line.quantity
        self.voided_quantity = line.voided_quantity
        self.counts = line.status == LineStatus.ACTIVE and order.status != OrderStatus.CANCELLED


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    UPDATED = "updated", _("Updated")
    LINE_ADDED = "line_added", _("Line added")
    LINE_VOIDED = "line_voided", _("Line voided")
    LINE_CHANGED = "line_changed", _("Line changed")
    CANCELLED = "cancelled", _("Cancelled")
    FIRED = "fired", _("Fired")
    BUMPED = "bumped", _("Bumped")
    RECALLED = "recalled", _("Recalled")
    VOID_ACKNOWLEDGED = "void_acknowledged", _("Void acknowledged")
    READY = "ready", _("Ready")
    SENT_BACK = "sent_back", _("Sent back")
    SERVED = "served", _("Served")
    UNSERVED = "unserved", _("Served undone")


class OrderEvent(models.Model):
    """The append-only log of everything that happened to an order. Reports are built on it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    line = models.ForeignKey(
        Line, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    station = models.ForeignKey(Station, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Who or what caused it: exactly one of these, or none for the system itself.
    source = models.ForeignKey(OrderSource, on_delete=models.SET_NULL, null=True, blank=True)
    screen = models.ForeignKey(Screen, on_delete=models.SET_NULL, null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Order events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Order events are append-only")

    @property
    def actor(self) -> str:
        if self.screen_id:
            return f"screen:{self.screen_id}"
        if self.user_id:
            return f"user:{self.user_id}"
        if self.source_id:
            return f"source:{self.source_id}"
        return "system"


class WebhookOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    CANCELLED = "cancelled", _("Cancelled")
    STALE = "stale", _("Stale, not applied")
    IGNORED = "ignored", _("Ignored: order cancelled")
    PENDING = "pending", _("Waiting for the order from the vendor")


class WebhookMessage(models.Model):
    """Every accepted webhook message. The unique constraint is what makes retries idempotent."""

    source = models.ForeignKey(OrderSource, on_delete=models.CASCADE, related_name="messages")
    webhook_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=32)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    outcome = models.CharField(max_length=10, choices=WebhookOutcome.choices)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        constraints = [
            models.UniqueConstraint(fields=["source", "webhook_id"], name="webhook_id_unique")
        ]

    def __str__(self) -> str:
        return self.webhook_id


# ---------------------------------------------------------------- printers


class PrintMode(models.TextChoices):
    BACKUP = "backup", _("Backup: when the station's screens are down")
    ALWAYS = "always", _("Always: every ticket")


class PaperWidth(models.IntegerChoices):
    MM58 = 384, _("58 mm (384 dots)")
    MM80 = 576, _("80 mm (576 dots)")


class Printer(models.Model):
    """An ESC/POS network printer of one station (port 9100, the raw "JetDirect" port)."""

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="printers")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="printers")
    name = models.CharField(_("name"), max_length=60)
    host = models.CharField(_("host"), max_length=255, help_text=_("IP address or host name."))
    port = models.PositiveIntegerField(
        _("port"), default=9100, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=PrintMode.choices, default=PrintMode.BACKUP
    )
    paper_width = models.PositiveIntegerField(
        _("paper width"), choices=PaperWidth.choices, default=PaperWidth.MM80
    )
    chinese_font = models.BooleanField(
        _("has a Chinese font"),
        default=False,
        help_text=_(
            "Ticked: Chinese is sent as text (GB18030) for the printer's own font. "
            "Unticked: tickets with Chinese are sent as images."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Sending state, kept by the scheduler (`orders.actions.printing`).
    retry_at = models.DateTimeField(_("next try"), null=True, blank=True, editable=False)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, editable=False)
    last_printed_at = models.DateTimeField(_("last printed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("printer")
        verbose_name_plural = _("printers")
        ordering = ["station__position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.host}:{self.port})"


class PrintKind(models.TextChoices):
    TICKET = "ticket", _("Ticket")
    ADDED = "added", _("Added")
    VOID = "void", _("Void")
    CANCELLED = "cancelled", _("Order cancelled")


class PrintReason(models.TextChoices):
    ALWAYS = "always", _("Always")
    BACKUP = "backup", _("Backup")
    CATCH_UP = "catch-up", _("Arrived while the screens were down")
    REPRINT = "reprint", _("Reprint")


class PrintStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    PRINTED = "printed", _("Printed")
    FAILED = "failed", _("Failed")


class PrintJob(models.Model):
    """One slip for one printer, written in the transaction of the change it prints.

    `payload` is the ticket as it was at that moment (`orders.printing.tickets`), so a
    slip prints what changed even if the order changes again before it goes out.
    """

    printer = models.ForeignKey(Printer, on_delete=models.CASCADE, related_name="jobs")
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="print_jobs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PrintKind.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=PrintReason.choices)
    payload = models.JSONField(_("ticket"))
    status = models.CharField(
        _("status"), max_length=10, choices=PrintStatus.choices, default=PrintStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next try"), default=timezone.now)
    # Set when a sender takes the job; a job still "sending" after a crash is sent again,
    # marked REPRINT, since nobody knows whether the printer got it.
    sending_since = models.DateTimeField(null=True, blank=True)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    reprint = models.BooleanField(_("marked REPRINT"), default=False)
    reprint_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reprints"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "printer", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.payload.get('number', '')}"


class SourceFetch(models.Model):
    """An order a vendor announced without its contents (Square), to fetch from its API.

    Written in the transaction that records the vendor's event, so a fetch that fails
    (the vendor's API down, a bad token) is retried by the scheduler, never lost.
    """

    source = models.ForeignKey(OrderSource, on_delete=models.CASCADE, related_name="fetches")
    message = models.OneToOneField(WebhookMessage, on_delete=models.CASCADE, related_name="fetch")
    external_id = models.CharField(_("vendor's order id"), max_length=64)
    version = models.BigIntegerField(_("announced version"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Due time, and the lease of whoever is fetching it: a claim moves it forward.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order fetch")
        verbose_name_plural = _("order fetches")
        indexes = [models.Index(fields=["done_at", "failed_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.external_id}"


class WebhookEndpoint(models.Model):
    """Where the kitchen's events are posted, signed per Standard Webhooks (orders/outbox)."""

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="endpoints")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_webhook_secret)
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Empty: every event.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Kept by the delivery loop: failing since the first failure after a success; an
    # endpoint failing for KDS_OUTBOX_DISABLE_AFTER_HOURS is switched off.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled after failing"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing webhook")
        verbose_name_plural = _("outgoing webhooks")
        ordering = ["restaurant", "name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return not self.events or event_type in self.events


class OutboxKind(models.TextChoices):
    WEBHOOK = "webhook", _("Standard Webhooks")
    SQUARE_FULFILLMENT = "square_fulfillment", _("Square: fulfillment prepared")
    DELIVERECT_STATUS = "deliverect_status", _("Deliverect: order status")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")


class OutboxMessage(models.Model):
    """One event for one receiver, written in the transaction of the change it reports.

    The scheduler delivers it afterwards (`orders.outbox.deliver`), so nothing is sent
    from inside a transaction and a crash between commit and delivery delivers later.
    """

    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=OutboxKind.choices)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    source = models.ForeignKey(
        OrderSource, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The webhook-id: the same for every receiver of one event and every retry.
    msg_id = models.CharField(max_length=64)
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField()
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Due time, and the lease of whoever is delivering it: a claim moves it forward.
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last response"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outgoing event")
        verbose_name_plural = _("outgoing events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "msg_id"],
                condition=Q(endpoint__isnull=False),
                name="outbox_endpoint_msg_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per attempt, with the receiver's answer."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="log")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True, related_name="log"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.status_code or self.error}"


class ActionRecord(models.Model):
    """A screen's or a tablet's action under the id the device made for it.

    Written in the transaction of the action's effect, with the answer the device got,
    so a retry, a replay after a reconnect or a double tap with the same id changes
    nothing and gets the first answer again (`orders.actions.once`). Pruned after a
    week by the scheduler; a device never replays an action that old.
    """

    # Who acted: "screen:<pk>" or "user:<pk>". An id is only ever looked up with its
    # actor, so one device cannot read (or block) another's answers.
    actor = models.CharField(max_length=40)
    action_id = models.UUIDField()
    action = models.CharField(max_length=20)
    # When the action was made (the device's claim, clamped) and when it reached us.
    made_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    answer = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("screen action")
        verbose_name_plural = _("screen actions")
        constraints = [
            models.UniqueConstraint(fields=["actor", "action_id"], name="action_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.action_id}"
