"""Choice lists of the domain (values are stored; labels are shown)."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A choice whose label is its value in words."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Role(Labelled):
    ADMIN = "admin"
    BUDGET_OFFICER = "budget_officer"
    PLANNER = "planner"
    ANALYST = "analyst"
    EXECUTIVE = "executive"
    MOA_FOCAL = "moa_focal"
    COMMUNITY_MEMBER = "community_member"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return {"moa_focal": "MOA focal person"}.get(self.value, super().label)


class OrgType(Labelled):
    MOA = "moa"
    LGU = "lgu"
    NGA = "nga"
    CSO = "cso"
    NGO = "ngo"
    DONOR = "donor"
    ACADEMIC = "academic"
    OTHER = "other"


class FocalRole(Labelled):
    PRIMARY = "primary"
    ALTERNATE = "alternate"
    TECHNICAL = "technical"


class EthnolinguisticGroup(Labelled):
    BADJAO = "badjao"
    IRANUN = "iranun"
    JAMA_MAPUN = "jama_mapun"
    KAGAN_KALAGAN = "kagan_kalagan"
    KOLIBUGAN = "kolibugan"
    MAGUINDANAON = "maguindanaon"
    MERANAW = "meranaw"
    MOLBOG = "molbog"
    PALAWANI = "palawani"
    SAMA = "sama"
    SANGIL = "sangil"
    TAUSUG = "tausug"
    YAKAN = "yakan"
    OTHER = "other"


class PovertyBand(Labelled):
    UNKNOWN = "unknown"
    VERY_LOW = "very_low"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"
    EXTREMELY_HIGH = "extremely_high"


class AccessRating(Labelled):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    NONE = "none"


class NeedSector(Labelled):
    EDUCATION = "education"
    ECONOMIC_DEVELOPMENT = "economic_development"
    SOCIAL_DEVELOPMENT = "social_development"
    CULTURAL_DEVELOPMENT = "cultural_development"
    INFRASTRUCTURE = "infrastructure"
    HEALTH = "health"
    GOVERNANCE = "governance"
    ENVIRONMENT = "environment"
    SECURITY = "security"


class Urgency(Labelled):
    IMMEDIATE = "immediate"
    SHORT_TERM = "short_term"
    MEDIUM_TERM = "medium_term"
    LONG_TERM = "long_term"


class Feasibility(Labelled):
    VERY_LOW = "very_low"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


class NeedStatus(Labelled):
    IDENTIFIED = "identified"
    VALIDATED = "validated"
    PRIORITIZED = "prioritized"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DEFERRED = "deferred"
    REJECTED = "rejected"


class SubmissionType(Labelled):
    ASSESSMENT_DRIVEN = "assessment_driven"
    COMMUNITY_SUBMITTED = "community_submitted"


class PPAKind(Labelled):
    MOA_PPA = "moa_ppa"
    OOBC_PPA = "oobc_ppa"
    COMMUNITY_REQUEST = "community_request"

    @property
    def label(self) -> str:
        return {"moa_ppa": "MOA PPA", "oobc_ppa": "OOBC PPA"}.get(self.value, super().label)


class PPASector(Labelled):
    ECONOMIC = "economic"
    SOCIAL = "social"
    INFRASTRUCTURE = "infrastructure"
    ENVIRONMENT = "environment"
    GOVERNANCE = "governance"
    PEACE_SECURITY = "peace_security"


class AppropriationClass(Labelled):
    PS = "ps"
    MOOE = "mooe"
    CO = "co"

    @property
    def label(self) -> str:
        return self.value.upper()


class FundingSource(Labelled):
    GAAB = "gaab"
    SUPPLEMENTAL_BUDGET = "supplemental_budget"
    SDF = "sdf"
    TDIF = "tdif"
    NATIONAL = "national"
    LGU = "lgu"
    ODA = "oda"
    OTHER = "other"


class ApprovalStatus(Labelled):
    DRAFT = "draft"
    TECHNICAL_REVIEW = "technical_review"
    BUDGET_REVIEW = "budget_review"
    STAKEHOLDER_CONSULTATION = "stakeholder_consultation"
    EXECUTIVE_APPROVAL = "executive_approval"
    APPROVED = "approved"
    ENACTED = "enacted"
    REJECTED = "rejected"


class ImplementationStatus(Labelled):
    PLANNING = "planning"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"


class FlowType(Labelled):
    ALLOTMENT = "allotment"
    OBLIGATION = "obligation"
    DISBURSEMENT = "disbursement"
    ADJUSTMENT = "adjustment"


class IndicatorType(Labelled):
    OUTCOME = "outcome"
    OUTPUT = "output"


class PolicyCategory(Labelled):
    ECONOMIC_DEVELOPMENT = "economic_development"
    SOCIAL_DEVELOPMENT = "social_development"
    CULTURAL_DEVELOPMENT = "cultural_development"
    PROMOTION_OF_WELFARE = "promotion_of_welfare"
    REHABILITATION_DEVELOPMENT = "rehabilitation_development"
    PROTECTION_OF_RIGHTS = "protection_of_rights"
    COMPREHENSIVE = "comprehensive"


class PolicyScope(Labelled):
    NATIONAL = "national"
    REGIONAL = "regional"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    BARANGAY = "barangay"
    COMMUNITY = "community"


class PolicyStatus(Labelled):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    NEEDS_REVISION = "needs_revision"
    SUBMITTED = "submitted"
    UNDER_CONSIDERATION = "under_consideration"
    APPROVED = "approved"
    IN_IMPLEMENTATION = "in_implementation"
    IMPLEMENTED = "implemented"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ON_HOLD = "on_hold"
    EXPIRED = "expired"


class Priority(Labelled):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"
    CRITICAL = "critical"


class MilestoneStatus(Labelled):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DELAYED = "delayed"
    CANCELLED = "cancelled"


class ServiceType(Labelled):
    FINANCIAL = "financial"
    TRAINING = "training"
    LIVELIHOOD = "livelihood"
    EDUCATION = "education"
    HEALTH = "health"
    INFRASTRUCTURE = "infrastructure"
    LEGAL = "legal"
    SOCIAL = "social"
    TECHNICAL = "technical"
    OTHER = "other"


class EligibilityLevel(Labelled):
    INDIVIDUAL = "individual"
    HOUSEHOLD = "household"
    COMMUNITY = "community"
    ORGANIZATION = "organization"
    LGU = "lgu"


class OfferingStatus(Labelled):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"
    ARCHIVED = "archived"


class ApplicationStatus(Labelled):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ADDITIONAL_INFO_REQUIRED = "additional_info_required"
    APPROVED = "approved"
    REJECTED = "rejected"
    WAITLISTED = "waitlisted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ChangeSource(Labelled):
    UI = "ui"
    API = "api"
    CLI = "cli"
    PIPELINE = "pipeline"


class ScenarioStatus(Labelled):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    ARCHIVED = "archived"
