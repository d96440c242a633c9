"""All tables; importing this package registers every mapping on Base.metadata."""

from obcms_core.adapters.orm.base import Base, name_enum_checks
from obcms_core.adapters.orm.communities import Community
from obcms_core.adapters.orm.coordination import (
    CoordinationMeeting,
    MOAQuarterlyReport,
    ServiceApplication,
    ServiceOffering,
)
from obcms_core.adapters.orm.geography import Barangay, Municipality, Province, Region
from obcms_core.adapters.orm.needs import Need, NeedCategory, NeedPPALink
from obcms_core.adapters.orm.organisations import (
    AuditLog,
    DatasetInfo,
    FocalPerson,
    Organization,
    User,
)
from obcms_core.adapters.orm.pb import (
    NotificationOutbox,
    PBBallot,
    PBBallotMark,
    PBBallotSubmission,
    PBCycle,
    PBProject,
)
from obcms_core.adapters.orm.policies import (
    PolicyMilestone,
    PolicyNeedLink,
    PolicyPPALink,
    PolicyRecommendation,
)
from obcms_core.adapters.orm.ppas import (
    PPA,
    FundingFlow,
    PPACoverage,
    PPAIndicator,
    PPAStatusChange,
)
from obcms_core.adapters.orm.scenarios import (
    BudgetScenario,
    OptimisationRun,
    ScenarioAllocation,
    ScenarioChange,
)

name_enum_checks(Base.metadata)

__all__ = [
    "PPA",
    "AuditLog",
    "Barangay",
    "Base",
    "BudgetScenario",
    "Community",
    "CoordinationMeeting",
    "DatasetInfo",
    "FocalPerson",
    "FundingFlow",
    "MOAQuarterlyReport",
    "Municipality",
    "Need",
    "NeedCategory",
    "NeedPPALink",
    "NotificationOutbox",
    "OptimisationRun",
    "Organization",
    "PBBallot",
    "PBBallotMark",
    "PBBallotSubmission",
    "PBCycle",
    "PBProject",
    "PPACoverage",
    "PPAIndicator",
    "PPAStatusChange",
    "PolicyMilestone",
    "PolicyNeedLink",
    "PolicyPPALink",
    "PolicyRecommendation",
    "Province",
    "Region",
    "ScenarioAllocation",
    "ScenarioChange",
    "ServiceApplication",
    "ServiceOffering",
    "User",
]
