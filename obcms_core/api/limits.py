"""Rate limits on sign-in, so passwords cannot be guessed at speed (slowapi over `limits`)."""

import math
import time

from fastapi import Request
from fastapi.responses import JSONResponse
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from obcms_core.config import Settings

# One person mistyping a password stays well under these; a guessing script does not.
LOGIN_PER_USER = "10/minute"
LOGIN_PER_CLIENT = "60/minute"
KEY_PREFIX = "obcms-api"


def build_limiter(settings: Settings, *, enabled: bool) -> Limiter:
    """A limiter counting in Redis when OBCMS_REDIS_URL is set (shared by all API processes)."""
    return Limiter(
        key_func=get_remote_address,
        storage_uri=settings.redis_url or "memory://",
        # Two counters per key (this window and the last, weighted): O(1) per request.
        strategy="sliding-window-counter",
        key_prefix=KEY_PREFIX,
        enabled=enabled,
        # A Redis outage must not lock everyone out: count per process until it returns.
        in_memory_fallback_enabled=bool(settings.redis_url),
    )


def login_key(request: Request) -> str:
    """Attempts are counted per client address and username."""
    username = getattr(request.state, "login_username", "")
    return f"{get_remote_address(request)}|{username}"


def retry_after_seconds(request: Request, exc: RateLimitExceeded) -> int:
    """Seconds until the exhausted limit lets the next attempt through."""
    window = int(exc.limit.limit.get_expiry()) if exc.limit is not None else 60
    hit = getattr(request.state, "view_rate_limit", None)
    limiter: Limiter | None = getattr(request.app.state, "limiter", None)
    if hit is None or limiter is None:
        return window
    try:
        reset_at, _remaining = limiter.limiter.get_window_stats(hit[0], *hit[1])
    except Exception:  # the storage just failed; the window length is a safe answer
        return window
    return max(1, min(window, math.ceil(reset_at - time.time())))


def rate_limit_exceeded(request: Request, exc: Exception) -> JSONResponse:
    """429 with the shared error shape and a Retry-After header."""
    assert isinstance(exc, RateLimitExceeded)
    seconds = retry_after_seconds(request, exc)
    return JSONResponse(
        {"detail": f"{exc.detail} Try again in {seconds} seconds."},
        status_code=429,
        headers={"Retry-After": str(seconds)},
    )
