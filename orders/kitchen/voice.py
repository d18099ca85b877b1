"""Speech made by the server, for screens whose browser cannot speak.

Android WebView has no `speechSynthesis`; Chromium on a Raspberry Pi usually has no
voice. Those screens fetch each phrase from `/screen/speech/` and play the WAV. It is
made here once per phrase (text, language, rate) by espeak-ng (English and Mandarin,
from the distribution, no internet), or by KDS_SPEECH_COMMAND_EN / _ZH (any command
that reads the text on stdin and writes a WAV to {out}, such as piper with a voice
file), and kept in KDS_SPEECH_CACHE_DIR.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from ..models import Screen, SpeechOutput

SPEECH_URL = "/screen/speech/"
HEALTH_URL = "/screen/health/"
MAX_CHARS = 300
LANGUAGES = {"en-US": "en-us", "zh-CN": "cmn"}  # the page's tag → espeak-ng's voice
WORDS_PER_MINUTE = 165
TIMEOUT_SECONDS = 20

MISSING = (
    "Server speech needs espeak-ng on the server (apt-get install espeak-ng), or a "
    "command in KDS_SPEECH_COMMAND_EN / KDS_SPEECH_COMMAND_ZH."
)


class SpeechRefused(ValueError):
    """The text or language cannot be spoken; the message says why (answered 400)."""


class SpeechUnavailable(Exception):
    """No engine on this server, or it failed; the message says what to install (503)."""


def speech_text_check(text: str, lang: str) -> str:
    """The text as it will be spoken, or SpeechRefused: bounded, printable, a known language."""
    if lang not in LANGUAGES:
        raise SpeechRefused(f"lang must be one of {', '.join(LANGUAGES)}")
    clean = " ".join(text.split())
    if not clean:
        raise SpeechRefused("text is empty")
    if len(clean) > MAX_CHARS:
        raise SpeechRefused(f"text is longer than {MAX_CHARS} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in clean):
        raise SpeechRefused("text has control or unassigned characters")
    return clean


def _command(lang: str) -> str:
    return settings.KDS_SPEECH_COMMAND_ZH if lang == "zh-CN" else settings.KDS_SPEECH_COMMAND_EN


def _synthesize(text: str, lang: str, rate: float, out: Path) -> None:
    custom = _command(lang)
    if custom:
        args = [part.replace("{out}", str(out)) for part in shlex.split(custom)]
    else:
        engine = shutil.which("espeak-ng")
        if engine is None:
            raise SpeechUnavailable(MISSING)
        speed = str(round(WORDS_PER_MINUTE * rate))
        args = [engine, "-v", LANGUAGES[lang], "-s", speed, "-b", "1", "-w", str(out)]
    try:
        done = subprocess.run(
            args, input=text.encode(), capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeechUnavailable(f"{args[0]} failed: {exc}") from exc
    if done.returncode != 0:
        raise SpeechUnavailable(f"{args[0]} failed: {done.stderr.decode(errors='replace')[:200]}")


def is_wav(data: bytes) -> bool:
    return len(data) > 44 and data[:4] == b"RIFF" and data[8:12] == b"WAVE"


def speech_audio(*, text: str, lang: str, rate: float = 1.0) -> bytes:
    """The phrase as WAV bytes, made once and then read from the cache."""
    text = speech_text_check(text, lang)
    rate = min(2.0, max(0.5, rate))
    key = hashlib.sha256(f"{lang}|{rate:.2f}|{_command(lang)}|{text}".encode()).hexdigest()
    cache: Path = settings.KDS_SPEECH_CACHE_DIR
    path = cache / key[:2] / f"{key}.wav"
    if path.is_file():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Made beside its place and renamed into it: a reader never sees half a file, and
    # two processes making the same phrase at once both end with a whole one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".wav")
    os.close(fd)
    try:
        _synthesize(text, lang, rate, Path(tmp))
        data = Path(tmp).read_bytes()
        if not is_wav(data):
            raise SpeechUnavailable("the speech engine wrote no WAV audio")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return data


@lru_cache(maxsize=1)
def app_version() -> str:
    """The screens' app: the package version and a digest of the scripts and styles it runs."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for path in sorted((Path(settings.BASE_DIR) / "static" / "kds").glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{version('kds')}+{digest.hexdigest()[:8]}"


def speech_server_config(
    *, screen: Screen | None, csrf: str, pickup: str = ""
) -> dict[str, object]:
    """What a page's speech.js needs to fall back to (or be forced onto) server audio."""
    return {
        "url": SPEECH_URL,
        "params": {"pickup": pickup} if pickup else {},
        "force": bool(screen and screen.speech_output == SpeechOutput.SERVER),
        "report_url": HEALTH_URL if screen else "",
        "csrf": csrf,
    }
