"""Vote milestones: the ballot counts at which the cycle's organisers are told by e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from obcms_core.domain.errors import ValidationFailed

DEFAULT_MILESTONES = (100, 500, 1000)


class OutboxStatus(StrEnum):
    """Where a queued message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last allowed attempt


def check_milestones(values: Iterable[object]) -> list[int]:
    """Milestones as a sorted list of distinct whole numbers of ballots above zero."""
    out: set[int] = set()
    for value in values:
        try:
            number = int(str(value).replace(",", "").strip())
        except ValueError:
            number = 0
        if number < 1:
            raise ValidationFailed(
                f"A vote milestone must be a whole number of ballots above zero, not {value!r}."
            )
        out.add(number)
    return sorted(out)


def milestone_reached(milestones: Iterable[int], ballots: int) -> int | None:
    """The milestone the ballot that brings the count to `ballots` crosses, if any."""
    return ballots if ballots in set(milestones) else None


def milestone_message(cycle_name: str, fiscal_year: int, ballots: int) -> tuple[str, str]:
    """Subject and body of the e-mail sent when a cycle reaches a number of ballots."""
    count = f"{ballots:,} ballot" + ("" if ballots == 1 else "s")
    subject = f"{cycle_name} (FY{fiscal_year}) has reached {count}"
    body = (
        f"Participatory budgeting cycle '{cycle_name}' for fiscal year {fiscal_year} has just"
        f" reached {count}.\n\nThe live tally and the results are on the"
        " workbench's participatory budgeting pages.\n"
    )
    return subject, body
