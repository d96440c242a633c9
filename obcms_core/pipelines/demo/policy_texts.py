"""Wording of demo policy recommendations, per policy category."""

from __future__ import annotations

from obcms_core.domain.enums import NeedSector as S
from obcms_core.domain.enums import PolicyCategory as C

# category -> (titles, problems, solutions); {area} is the place the recommendation covers.
POLICY_TEXTS: dict[C, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    C.ECONOMIC_DEVELOPMENT: (
        ("Reserve a share of halal enterprise grants for OBC entrepreneurs in {area}",
         "Extend fisheries assistance to OBC coastal barangays of {area}"),
        ("OBC producers in {area} rarely qualify for regional enterprise grants because they "
         "lack registration and collateral.",),
        ("Set aside at least 15% of grant slots for OBC applicants and accept barangay "
         "certification in place of collateral.",),
    ),
    C.SOCIAL_DEVELOPMENT: (
        ("Include OBC households in Bangsamoro social protection registries in {area}",
         "Mobile civil registration for unregistered OBC children in {area}"),
        ("Many OBC families in {area} are missing from social protection lists and cannot "
         "prove their identity.",),
        ("Run yearly registration drives with host LGUs and share lists with the MOAs.",),
    ),
    C.CULTURAL_DEVELOPMENT: (
        ("Recognise madrasah completion of OBC learners in {area}",
         "Protect OBC cultural heritage sites and practices in {area}"),
        ("Madrasah learning of OBC children in {area} is not recognised by schools, and "
         "heritage sites go undocumented.",),
        ("Adopt an equivalency scheme for madrasah learners and fund heritage documentation.",),
    ),
    C.PROMOTION_OF_WELFARE: (
        ("Scholarship quota for OBC youth from {area}",
         "Health service caravans for OBC barangays of {area}"),
        ("OBC youth and mothers in {area} are far from schools and health facilities.",),
        ("Reserve scholarship slots and schedule quarterly health caravans with the LGUs.",),
    ),
    C.REHABILITATION_DEVELOPMENT: (
        ("Rehabilitation of disaster- and conflict-affected OBC settlements in {area}",
         "Priority water and road projects for isolated OBC sitios in {area}"),
        ("Isolated OBC sitios in {area} lack water and roads years after floods and conflict.",),
        ("Give OBC sitios priority in the infrastructure programmes of the MOAs concerned.",),
    ),
    C.PROTECTION_OF_RIGHTS: (
        ("OBC representation in local development councils of {area}",
         "Legal assistance on land tenure for OBC families in {area}"),
        ("OBC families in {area} face eviction and are not heard in local planning.",),
        ("Provide legal aid desks and a sectoral seat for OBCs in local councils.",),
    ),
    C.COMPREHENSIVE: (
        ("Comprehensive OBC development framework for {area}",
         "Inter-MOA convergence plan for OBC communities in {area}"),
        ("Assistance to OBCs in {area} is scattered across MOAs without a common plan.",),
        ("Agree a five-year convergence plan with targets per MOA, reviewed each quarter.",),
    ),
}
CATEGORY_SECTORS: dict[C, tuple[S, ...]] = {
    C.ECONOMIC_DEVELOPMENT: (S.ECONOMIC_DEVELOPMENT,),
    C.SOCIAL_DEVELOPMENT: (S.SOCIAL_DEVELOPMENT, S.HEALTH, S.EDUCATION),
    C.CULTURAL_DEVELOPMENT: (S.CULTURAL_DEVELOPMENT, S.EDUCATION),
    C.PROMOTION_OF_WELFARE: (S.SOCIAL_DEVELOPMENT, S.HEALTH, S.EDUCATION),
    C.REHABILITATION_DEVELOPMENT: (S.INFRASTRUCTURE, S.ENVIRONMENT),
    C.PROTECTION_OF_RIGHTS: (S.GOVERNANCE, S.SECURITY, S.SOCIAL_DEVELOPMENT),
    C.COMPREHENSIVE: tuple(S),
}
