"""Budget allocation optimiser: a pure core over numpy arrays (no database, no pages).

Public entry points: `AllocationProblem` + `AllocationRules` + `ObjectiveWeights` describe a
scenario; `solve_milp` (HiGHS or CBC), `solve_greedy` and `solve_relaxation` solve it;
`check_allocation` lists every breach of an allocation in words; `binding_constraints`,
`marginal_values`, `left_out_reasons` and `why_left_out` explain a result.
"""

from obcms_core.domain.allocation.constraints import AllocationRules, check_allocation
from obcms_core.domain.allocation.explain import (
    MarginalValue,
    binding_constraints,
    left_out_reasons,
    marginal_values,
    why_left_out,
)
from obcms_core.domain.allocation.greedy import solve_greedy
from obcms_core.domain.allocation.milp import diagnose, solve_milp, solve_relaxation
from obcms_core.domain.allocation.model import AllocationProblem, ObjectiveWeights, encode
from obcms_core.domain.allocation.result import (
    AllocationResult,
    Binding,
    Relaxation,
    SolveStatus,
)

__all__ = [
    "AllocationProblem", "AllocationResult", "AllocationRules", "Binding", "MarginalValue",
    "ObjectiveWeights", "Relaxation", "SolveStatus", "binding_constraints", "check_allocation",
    "diagnose", "encode", "left_out_reasons", "marginal_values", "solve_greedy", "solve_milp",
    "solve_relaxation", "why_left_out",
]
