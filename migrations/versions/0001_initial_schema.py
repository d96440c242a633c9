"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 09:28:14.784607
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables are created by three modules beside versions/ (Alembic would take any module in
# versions/ for a revision of its own), loaded from their files.
PARTS = (
    "part1_people_policies_ppas",
    "part2_places_and_programme_details",
    "part3_communities_and_needs",
)


def _part(name: str) -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "initial_schema" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"obcms_migration_0001_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    for name in PARTS:
        _part(name).upgrade()


def downgrade() -> None:
    for name in reversed(PARTS):
        _part(name).downgrade()
