"""The headers of a signed webhook request, as a sender (a POS) makes them. The one place.

The simulator, the benchmark and the tests all send through this. It signs with the
`standardwebhooks` reference implementation, not with intake's own code, so every
request they send also checks that `orders.intake.signature.verify` accepts what the
standard says is right. The reference library signs text only; a body that is not
UTF-8 (a test's bad input) is signed with intake's `sign`, which computes the same.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from ..intake.signature import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign


def signed_headers(
    *, secret: str, body: bytes, msg_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """content-type, webhook-id (a new one unless given), webhook-timestamp (now unless
    given) and webhook-signature for `body`."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    ts = int(time.time()) if timestamp is None else timestamp
    try:
        signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(ts, UTC), body.decode())
    except UnicodeDecodeError:
        signature = sign(secret=secret, msg_id=msg_id, timestamp=ts, body=body)
    return {
        "content-type": "application/json",
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: str(ts),
        SIGNATURE_HEADER: signature,
    }
