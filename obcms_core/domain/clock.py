"""The current time and stored timestamps, always as time-zone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time (UTC)."""
    return datetime.now(UTC)


def as_utc(at: datetime) -> datetime:
    """A stored timestamp as an aware UTC time (SQLite hands them back without a zone)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
