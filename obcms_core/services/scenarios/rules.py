"""Scenario constraint settings (stored as JSON) and the live constraint check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from obcms_core.domain.allocation import AllocationRules
from obcms_core.domain.errors import ValidationFailed

GAD_MANDATE = 0.05  # at least 5 % of each MOA's appropriation goes to GAD


@dataclass(frozen=True)
class ScenarioRules:
    """What the budget officer imposes on a scenario besides its envelope."""

    source_ceilings: dict[str, float] = field(default_factory=dict)  # funding source -> ₱
    sector_ceilings: dict[str, float] = field(default_factory=dict)  # PPA sector -> ₱
    capacity_multiple: float | None = None  # × the MOA's disbursements last year
    region_floor_shares: dict[str, float] = field(default_factory=dict)  # region -> share
    region_floor_per_capita: dict[str, float] = field(default_factory=dict)  # region -> ₱/person
    gad_share: float = GAD_MANDATE
    must_fund: list[str] = field(default_factory=list)  # PPA codes funded in full
    must_exclude: list[str] = field(default_factory=list)  # PPA codes left out
    min_viable_share: float = 0.5  # a partly funded PPA gets at least this share

    def __post_init__(self) -> None:
        if not 0 < self.min_viable_share <= 1:
            raise ValidationFailed("The minimum viable share must be above 0 % and at most 100 %.")
        if not 0 <= self.gad_share < 1:
            raise ValidationFailed("The GAD share must be between 0 % and 100 %.")
        if self.capacity_multiple is not None and self.capacity_multiple <= 0:
            raise ValidationFailed("The absorptive-capacity multiple must be above zero.")
        both = set(self.must_fund) & set(self.must_exclude)
        if both:
            raise ValidationFailed(
                f"A PPA cannot be both must-fund and excluded: {', '.join(sorted(both))}."
            )
        for name, values in (
            ("ceiling", self.source_ceilings),
            ("ceiling", self.sector_ceilings),
            ("floor", self.region_floor_per_capita),
        ):
            if any(v < 0 for v in values.values()):
                raise ValidationFailed(f"A {name} cannot be negative.")
        if any(not 0 <= v <= 1 for v in self.region_floor_shares.values()):
            raise ValidationFailed("A regional floor share must be between 0 % and 100 %.")
        if sum(self.region_floor_shares.values()) > 1:
            raise ValidationFailed(
                "Regional floor shares add up to more than 100 % of the envelope."
            )

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ScenarioRules:
        """Rules as stored on a scenario (unknown keys are ignored)."""
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def known_only(self, codes: tuple[str, ...]) -> tuple[ScenarioRules, list[str]]:
        """These rules without must-fund/excluded codes outside `codes`, and those codes."""
        known = set(codes)
        unknown = sorted((set(self.must_fund) | set(self.must_exclude)) - known)
        if not unknown:
            return self, []
        return replace(
            self,
            must_fund=[c for c in self.must_fund if c in known],
            must_exclude=[c for c in self.must_exclude if c in known],
        ), unknown

    def for_solver(self, envelope: float) -> AllocationRules:
        """The optimiser's form of these rules for a given envelope."""
        return AllocationRules(
            envelope=envelope,
            source_ceilings=self.source_ceilings,
            sector_ceilings=self.sector_ceilings,
            capacity_multiple=self.capacity_multiple,
            region_floor_shares=self.region_floor_shares,
            region_floor_per_capita=self.region_floor_per_capita,
            gad_share=self.gad_share,
            must_fund=frozenset(self.must_fund),
            must_exclude=frozenset(self.must_exclude),
        )
