"""Sessions end after a while without use, not only at the end of the working day."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

LAST_SEEN = "kompass_last_seen"


class IdleTimeout:
    """Logs out a signed-in user whose last request is longer ago than
    ``KOMPASS_SESSION_IDLE_SECONDS``; the request then goes on as an anonymous one (the
    workspace sends it to the login page). The time is written at most once a minute, so
    a busy user does not cost a session write per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if isinstance(last, int) and now - last > settings.KOMPASS_SESSION_IDLE_SECONDS:
                logout(request)
            elif not isinstance(last, int) or now - last >= 60:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
