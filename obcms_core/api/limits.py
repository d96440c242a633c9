"""Rate limits on sign-in, so passwords cannot be guessed at speed (slowapi over `limits`)."""

import math
import threading
import time

from fastapi import Request
from fastapi.responses import JSONResponse
from limits.storage import MemoryStorage
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from obcms_core.config import Settings

# One person mistyping a password stays well under these; a guessing script does not.
LOGIN_PER_USER = "10/minute"
LOGIN_PER_CLIENT = "60/minute"
KEY_PREFIX = "obcms-api"
SWEEP_SECONDS = 30.0  # how often counts in memory are swept for expired keys


class SweptMemoryStorage(MemoryStorage):
    """Counts in this process's memory, with expired keys swept every SWEEP_SECONDS.

    The `limits` memory storage starts a thread on almost every request that walks every key
    it holds (two per voter on the ballot route) 10 ms later, so its cost grows with the
    number of people voting, not with the rate: thousands of voters cost a tenth of a core.
    An expired count is already ignored when it is read; the sweep only frees memory, so
    sweeping now and then changes no limit.
    """

    STORAGE_SCHEME = ["obcms-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # the base's private hook, per write
        now = time.monotonic()
        if now < self._next_sweep:
            return
        with self._sweep_lock:
            if now < self._next_sweep or self.timer.is_alive():
                return
            self._next_sweep = now + SWEEP_SECONDS
            self.timer = threading.Timer(0, self._MemoryStorage__expire_events)  # type: ignore[attr-defined]
            self.timer.daemon = True
            self.timer.start()


def build_limiter(settings: Settings, *, enabled: bool) -> Limiter:
    """A limiter counting in Redis when OBCMS_REDIS_URL is set (shared by all API processes)."""
    return Limiter(
        key_func=get_remote_address,
        storage_uri=settings.redis_url or "obcms-memory://",
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
