"""GET /health: what a load balancer or monitor sees."""

import pytest
from fastapi.testclient import TestClient

from obcms_core import __version__
from obcms_core.api.app import create_app
from obcms_core.config import Settings, SettingsError, get_settings
from obcms_core.services.database import open_database

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


def test_health_is_ok_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}


def test_health_is_degraded_when_the_database_does_not_answer(settings: Settings) -> None:
    dead = open_database(UNREACHABLE, check=False)
    try:
        with TestClient(create_app(settings, dead.session_factory)) as client:
            response = client.get("/health")
    finally:
        dead.dispose()
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["database"] == "unavailable"


def test_sign_in_says_the_database_is_down_instead_of_crashing(settings: Settings) -> None:
    dead = open_database(UNREACHABLE, check=False)
    try:
        with TestClient(create_app(settings, dead.session_factory)) as client:
            response = client.post("/auth/token", data={"username": "ana", "password": "x" * 12})
    finally:
        dead.dispose()
    assert response.status_code == 503
    assert "database is not answering" in response.json()["detail"]


def test_openapi_names_the_product_and_its_version(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "OBCMS Planning & Budgeting API"
    assert schema["info"]["version"] == __version__
    assert client.get("/docs").status_code == 200


def test_an_unusable_token_lifetime_is_refused_with_the_variable_named(monkeypatch) -> None:
    monkeypatch.setenv("OBCMS_JWT_TTL_MINUTES", "0")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="jwt_ttl_minutes"):
            get_settings()
    finally:
        get_settings.cache_clear()
