"""The audit log: every change a person makes, with the values before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from obcms_core.adapters.db import UnitOfWork
from obcms_core.adapters.orm import AuditLog
from obcms_core.adapters.orm.base import table_of
from obcms_core.domain.enums import ChangeSource

_INSERT = insert(table_of(AuditLog))


def record(
    uow: UnitOfWork,
    *,
    username: str,
    source: ChangeSource,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write one audit entry in the current transaction (it commits or rolls back with it).

    A plain INSERT on the session's connection: no ORM object to track, nothing left to flush.
    """
    uow.session.connection().execute(
        _INSERT,
        {
            "username": username,
            "source": source,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": _jsonable(before),
            "after": _jsonable(after),
        },
    )


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        k: (v if isinstance(v, (int, float, bool, type(None))) else str(v))
        for k, v in values.items()
    }
