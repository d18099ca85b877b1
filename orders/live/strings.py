"""The words every live page's script writes itself (static/kds/connection.js, actions.js,
marks.js), in the page's language: the link state, the waiting actions and the refusals.

The refusal reasons are `orders.kitchen.conflicts.Refusal`'s; what each action did is
said after the ticket's number ("#42 bumped").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext, pgettext


def live_strings() -> dict[str, Any]:
    return {
        "connecting": gettext("Connecting…"),
        "online": gettext("Live"),
        "offline": gettext("Offline"),
        "notSent": gettext("not sent yet"),
        # "{n}" is replaced by the page; English needs both forms, Chinese one.
        "waitingOne": ngettext("{n} action waiting to send", "{n} actions waiting to send", 1),
        "waitingMany": ngettext("{n} action waiting to send", "{n} actions waiting to send", 2),
        "did": {
            "ticket_bump": pgettext("done offline", "bumped"),
            "line_bump": pgettext("done offline", "line ready"),
            "line_unbump": pgettext("done offline", "line back on"),
            "recall": pgettext("done offline", "recalled"),
            "void_ack": pgettext("done offline", "void seen"),
            "handover": pgettext("done offline", "handed over"),
            "send_back": pgettext("done offline", "sent back"),
            "unserve": pgettext("done offline", "hand-over undone"),
            "fire_course": pgettext("done offline", "course fired"),
            "serve_line": pgettext("done offline", "dish served"),
            "serve_order": pgettext("done offline", "all served"),
            "undo": pgettext("done offline", "serve undone"),
            "dish_86": pgettext("done offline", "86'd"),
            "dish_back": pgettext("done offline", "back on"),
        },
        "refusals": {
            "gone": gettext("not done: no longer on this screen"),
            "cancelled": gettext("not done: the order was cancelled"),
            "voided": gettext("not done: the dish was voided"),
            "handed_over": gettext("not done: already handed over"),
            "too_late": gettext("not undone: too late"),
            "already": gettext("already done"),
            "expired": gettext("not sent: too old"),
            "malformed": gettext("not done"),
            "not_allowed": gettext("not done: not allowed here"),
        },
        # 86 from the line (static/kds/dishes.js); "{dish}" is the dish's name.
        "dishes": {
            "soldOut": gettext("SOLD OUT"),
            "available": gettext("available"),
            "none": gettext("No dishes on this station's menu."),
            "ask86": gettext("86 {dish}?"),
            "askBack": gettext("Bring {dish} back?"),
            "effect86": gettext("Every ticket with it is flagged 86 SOLD OUT until it is back."),
            "effectBack": gettext("It can be ordered again; the 86 flag goes from the tickets."),
            "yes86": gettext("Yes, 86 it"),
            "yesBack": gettext("Yes, bring it back"),
            "done86": gettext("{dish}: 86, sold out"),
            "doneBack": gettext("{dish}: back on"),
        },
    }
