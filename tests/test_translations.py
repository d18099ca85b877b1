"""Every translation catalogue is complete, keeps its placeholders, and its committed .mo
file says the same as its .po file (the app reads the .mo; nobody compiles at run time).

Each check runs for every locale/*/LC_MESSAGES/*.po, so a new language or a djangojs.po
is covered as soon as it is added.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))

# printf style as Python's % operator reads it (%(name)s, %s, %02d …; %% is a literal),
# and str.format style ({name}, {0}, {}).
PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"\{[^{}\s]*\}")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def _entries(path: Path) -> list[Any]:
    """The live entries: obsolete (#~) ones are kept by gettext for reuse, never shown."""
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def _placeholders(text: str) -> set[str]:
    found = {m for m in PRINTF.findall(text) if m != "%%"}
    return found | set(BRACES.findall(text))


def _tags(text: str) -> set[str]:
    return set(TAG.findall(text))


def _label(entry: Any) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


def _translations(entry: Any) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _mismatches(entry: Any, extract: Any) -> list[str]:
    """The translations whose placeholders (or tags) differ from the source's.

    A plural entry's forms may each use part of the source's (English "One screen" has no
    number, a language's form for it may), but together they must use all of them and no
    others; with one plural form, as in Chinese, that form must have them all.
    """
    source = extract(entry.msgid) | extract(entry.msgid_plural or "")
    forms = [extract(text) for text in _translations(entry)]
    if entry.msgid_plural:
        ok = all(f <= source for f in forms) and set().union(*forms) == source
    else:
        ok = forms[0] == source
    return [] if ok else [f"{_label(entry)}: {sorted(source)} vs {[sorted(f) for f in forms]}"]


def _language(path: Path) -> str:
    """locale/zh_Hans/LC_MESSAGES/django.po → zh-hans."""
    return translation.to_language(path.parent.parent.name)


def _lookup(path: Path, entry: Any, n: int = 1) -> str:
    """What the running app gets for this entry, read from the compiled catalogue."""
    if path.stem == "django":
        with translation.override(_language(path)):
            if entry.msgid_plural and entry.msgctxt:
                return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
            if entry.msgid_plural:
                return translation.ngettext(entry.msgid, entry.msgid_plural, n)
            if entry.msgctxt:
                return translation.pgettext(entry.msgctxt, entry.msgid)
            return translation.gettext(entry.msgid)
    # Other domains (djangojs) are not loaded by Django's Python gettext: read the .mo.
    with path.with_suffix(".mo").open("rb") as mo:
        compiled = stdlib_gettext.GNUTranslations(mo)
    if entry.msgid_plural and entry.msgctxt:
        return compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
    if entry.msgid_plural:
        return compiled.ngettext(entry.msgid, entry.msgid_plural, n)
    if entry.msgctxt:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


catalogues = pytest.mark.parametrize(
    "path", CATALOGUES, ids=[str(p.relative_to(LOCALE_DIR)) for p in CATALOGUES]
)


def test_it_finds_the_catalogues() -> None:
    assert LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@catalogues
def test_it_has_a_utf8_header_naming_the_language(path: Path) -> None:
    po = polib.pofile(str(path))

    assert not po.metadata_is_fuzzy
    assert po.metadata.get("Language") == path.parent.parent.name
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert "nplurals=" in po.metadata.get("Plural-Forms", "")


@catalogues
def test_it_translates_every_entry(path: Path) -> None:
    entries = _entries(path)
    untranslated = [_label(e) for e in entries if not all(_translations(e))]
    fuzzy = [_label(e) for e in entries if "fuzzy" in e.flags]

    assert entries
    assert untranslated == []
    assert fuzzy == []


@catalogues
def test_it_keeps_the_placeholders(path: Path) -> None:
    wrong = [m for e in _entries(path) for m in _mismatches(e, _placeholders)]

    assert wrong == []


@catalogues
def test_it_keeps_the_html_tags(path: Path) -> None:
    wrong = [m for e in _entries(path) for m in _mismatches(e, _tags)]

    assert wrong == []


@catalogues
def test_it_compiled_the_catalogue_the_app_reads(path: Path) -> None:
    """The committed .mo is in step with the .po: every entry comes back as translated."""
    assert path.with_suffix(".mo").is_file(), "run manage.py compilemessages and commit the .mo"
    stale = [
        f"{_label(e)}: {got!r} != {e.msgstr!r}"
        for e in _entries(path)
        if not e.msgid_plural and (got := _lookup(path, e)) != e.msgstr
    ]
    stale_plurals = [
        f"{_label(e)} (n={n}): {got!r}"
        for e in _entries(path)
        if e.msgid_plural
        for n in (0, 1, 2, 5, 11, 21, 101)
        if (got := _lookup(path, e, n)) not in e.msgstr_plural.values()
    ]

    assert stale == []
    assert stale_plurals == []
