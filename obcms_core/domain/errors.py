"""Named domain errors; pages map them to messages, API routes to HTTP codes."""


class DomainError(Exception):
    """Base class for rule violations a user can understand and correct."""


class NotFound(DomainError):
    """The requested record does not exist."""


class ValidationFailed(DomainError):
    """Input breaks a business rule; the message says which and how to fix it."""


class IllegalTransition(DomainError):
    """A workflow status change that the approval process does not allow."""


class TransitionNotPermitted(DomainError):
    """The status change exists, but the user's role may not make it."""


class PermissionDenied(DomainError):
    """The user's role may not perform this action."""


class AuthenticationFailed(DomainError):
    """Unknown user or wrong password."""


class DatabaseConfigError(DomainError):
    """OBCMS_DATABASE_URL is malformed or names an unsupported database."""


class DatabaseUnavailable(DomainError):
    """The configured database cannot be reached."""
