"""Admin login throttling: django-axes' lockout check for logins that come with a request.

`authenticate()` without a request (a management shell, the test client's `login()`)
has no client to throttle; axes' own backend refuses those outright, this one lets the
next backend decide. Failed attempts are counted by axes' `user_login_failed` handler.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]
