"""Rate-limit counts in memory: the same limits, without a thread and a full walk per request."""

from __future__ import annotations

import time

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from obcms_core.api import limits as api_limits
from obcms_core.api.limits import SweptMemoryStorage, build_limiter
from obcms_core.config import Settings


def test_counts_limit_exactly_as_before():
    limiter = SlidingWindowCounterRateLimiter(SweptMemoryStorage())
    three = parse("3/minute")
    assert [limiter.hit(three, "voter:a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(three, "voter:b")  # another voter has their own count


@pytest.mark.parametrize(
    ("storage", "replaced"), [(SweptMemoryStorage, False), (MemoryStorage, True)]
)
def test_writes_start_no_expiry_thread_between_sweeps(storage, replaced):
    counts = storage()
    first = counts.timer
    counts.incr("voter:a", 60)
    time.sleep(0.05)  # the memory storage's own 10 ms timer has run by now
    for n in range(200):
        counts.incr(f"voter:{n}", 60)
    assert (counts.timer is not first) is replaced


def test_a_sweep_frees_expired_counts_and_keeps_live_ones(monkeypatch):
    monkeypatch.setattr(api_limits, "SWEEP_SECONDS", 0.01)
    counts = SweptMemoryStorage()
    counts.incr("voter:gone", 0.02)
    counts.incr("voter:kept", 60)
    time.sleep(0.05)
    counts.incr("voter:new", 60)  # the sweep is due: it runs beside this write
    counts.timer.join(timeout=5)
    assert "voter:gone" not in counts.storage and "voter:gone" not in counts.expirations
    assert counts.get("voter:kept") == 1 and counts.get("voter:new") == 1


def test_the_api_counts_in_swept_memory_without_redis():
    limiter = build_limiter(Settings(redis_url=None), enabled=True)
    assert isinstance(limiter._storage, SweptMemoryStorage)
