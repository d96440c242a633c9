"""One typed settings object, read from OBCMS_* environment variables."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEFAULT_SQLITE_URL = f"sqlite:///{DATA_DIR / 'obcms.db'}"

# Development-only placeholders; refused in any other environment.
DEV_SECRET_KEY = "dev-only-secret-key-change-me-0000000000"
DEV_COOKIE_KEY = "dev-only-cookie-key-change-me-0000000000"


class InsecureSettingsError(ValueError):
    """A development default secret was used outside development mode."""


class SettingsError(ValueError):
    """The OBCMS_* environment is invalid; the message says which variable and why."""


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to send e-mail, read from OBCMS_SMTP_URL."""

    host: str
    port: int
    username: str | None
    password: str | None
    ssl: bool  # smtps://: TLS from the first byte
    starttls: bool  # smtp://...?starttls=true: upgrade the plain connection
    sender: str  # ?from=address, else obcms@<host>


SMTP_URL_SHAPE = (
    "OBCMS_SMTP_URL must look like smtp://user:password@host:587 (smtps:// for TLS; optional"
    " ?starttls=true&from=address)"
)


def parse_smtp_url(raw: str) -> SmtpTarget:
    """The SMTP server named by smtp[s]://user:password@host:port?starttls=true&from=addr."""
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{SMTP_URL_SHAPE}; the port is not a number.") from exc
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"{SMTP_URL_SHAPE}; '{parts.scheme or raw}' is not smtp or smtps.")
    if not parts.hostname:
        raise ValueError(f"{SMTP_URL_SHAPE}; the host is missing.")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    ssl = parts.scheme == "smtps"
    return SmtpTarget(
        host=parts.hostname,
        port=port or (465 if ssl else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        ssl=ssl,
        starttls=query.get("starttls", "").lower() in ("1", "true", "yes"),
        sender=query.get("from") or f"obcms@{parts.hostname}",
    )


class Settings(BaseSettings):
    """Runtime configuration of the workbench and its API companion."""

    model_config = SettingsConfigDict(env_prefix="OBCMS_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_SQLITE_URL
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    cookie_key: SecretStr = SecretStr(DEV_COOKIE_KEY)
    cookie_name: str = "obcms_auth"
    cookie_expiry_days: float = 1.0
    jwt_ttl_minutes: Annotated[int, Field(ge=1, le=44_640)] = 60  # at most 31 days
    redis_url: str | None = None
    smtp_url: str | None = None
    api_host: str = "127.0.0.1"
    api_port: int = 8000

    @field_validator("smtp_url")
    @classmethod
    def _check_smtp_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parse_smtp_url(value)
        return value.strip()

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.env != "development":
            for name, default in (("secret_key", DEV_SECRET_KEY), ("cookie_key", DEV_COOKIE_KEY)):
                value = getattr(self, name).get_secret_value()
                if value == default or len(value) < 32:
                    raise InsecureSettingsError(
                        f"OBCMS_{name.upper()} must be set to a random value of at least "
                        f"32 characters when OBCMS_ENV={self.env}."
                    )
        return self

    @property
    def is_development(self) -> bool:
        return self.env == "development"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    try:
        return Settings()
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise SettingsError(f"Invalid configuration — {reasons}") from None
