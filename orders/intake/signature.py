"""Standard Webhooks signature verification (standardwebhooks.com).

Written out rather than taken from the `standardwebhooks` package because its
`verify()` raises ValueError and binascii.Error on malformed headers and would
turn a bad header into a 500; here every malformed header is a plain failure.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping

SECRET_PREFIX = "whsec_"
# The three headers of a signed request (senders build them in `orders.ops.signing`).
ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"


class SignatureError(Exception):
    pass


def secret_key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4))


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def _timestamp(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise SignatureError("webhook-timestamp must be integer Unix seconds")
    return int(raw)


def _signatures(raw: str) -> list[bytes]:
    found = []
    for part in raw.split(" "):
        version, sep, encoded = part.partition(",")
        if not sep or version != "v1":
            continue  # other versions and junk are skipped, as the spec allows
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    if not found:
        raise SignatureError("no v1 signature")
    return found


def verify(
    *,
    headers: Mapping[str, str],
    body: bytes,
    secrets: Iterable[str],
    tolerance: int,
    now: float | None = None,
) -> str:
    """Returns the webhook-id when one of the signatures matches one of the secrets."""
    msg_id = headers.get(ID_HEADER, "")
    raw_ts = headers.get(TIMESTAMP_HEADER, "")
    raw_sig = headers.get(SIGNATURE_HEADER, "")
    if not msg_id or not raw_ts or not raw_sig:
        raise SignatureError("missing webhook-id, webhook-timestamp or webhook-signature")
    if len(msg_id) > 255:
        raise SignatureError("webhook-id too long")
    if not msg_id.isprintable():
        # NUL and other control characters: PostgreSQL would refuse to store the id.
        raise SignatureError("webhook-id holds control characters")
    timestamp = _timestamp(raw_ts)
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise SignatureError("webhook-timestamp outside the tolerance")
    given = _signatures(raw_sig)
    signed = f"{msg_id}.{raw_ts}.".encode() + body
    matched = False
    for secret in secrets:
        try:
            expected = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
        except (binascii.Error, ValueError):
            continue
        for candidate in given:
            # Check every pair, so the time taken does not tell which one matched.
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureError("no matching signature")
    return msg_id
