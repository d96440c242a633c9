"""pb cycle settings version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:40:00

A random stamp that changes with every change to a cycle's row; the ballot service caches a
cycle's ballot form under it. Existing cycles get a stamp of their own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pb_cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settings_version", sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        stamp = "md5(random()::text || id::text)"
    else:
        stamp = "lower(hex(randomblob(16)))"
    op.execute(f"UPDATE pb_cycle SET settings_version = {stamp}")  # noqa: S608 (fixed text)


def downgrade() -> None:
    with op.batch_alter_table("pb_cycle", schema=None) as batch_op:
        batch_op.drop_column("settings_version")
