"""Sign-in with a bearer token, and the ways a token stops being accepted."""

from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import update

from obcms_core.adapters.orm import User
from obcms_core.api.security import ALGORITHM, issue_access_token
from obcms_core.config import Settings
from obcms_core.domain.enums import Role
from obcms_core.services.database import Database
from obcms_core.services.users import deactivate_user
from tests.api.conftest import PASSWORD, add_user, sign_in


def test_a_user_signs_in_and_the_token_says_who_they_are(
    db: Database, client: TestClient, settings: Settings
) -> None:
    add_user(db, "ana.budget")
    response = client.post("/auth/token", data={"username": "Ana.Budget", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.jwt_ttl_minutes * 60
    claims = jwt.decode(
        body["access_token"], settings.secret_key.get_secret_value(), algorithms=[ALGORITHM]
    )
    assert claims["sub"] == "ana.budget"
    assert claims["role"] == "budget_officer"
    assert claims["exp"] - claims["iat"] == settings.jwt_ttl_minutes * 60

    me = client.get("/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "username": "ana.budget",
        "full_name": "Ana.Budget Santos",
        "role": "budget_officer",
        "organization_id": None,
    }


def test_a_wrong_password_is_refused_with_401(db: Database, client: TestClient) -> None:
    add_user(db, "ana.budget")
    response = client.post("/auth/token", data={"username": "ana.budget", "password": "wrong!"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown username or wrong password."}
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(
    client: TestClient,
) -> None:
    response = client.post("/auth/token", data={"username": "nobody", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown username or wrong password."}


def test_who_am_i_without_a_token_asks_the_caller_to_sign_in(client: TestClient) -> None:
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Sign in first" in response.json()["detail"]


def test_an_expired_token_is_refused(db: Database, client: TestClient, settings: Settings) -> None:
    user = add_user(db, "ana.budget")
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)
    stale = issue_access_token(user, settings, now=two_hours_ago).token
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {stale}"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json() == {"detail": "The access token has expired; sign in again."}


def test_a_token_signed_with_another_key_is_refused(db: Database, client: TestClient) -> None:
    add_user(db, "ana.budget")
    now = datetime.now(UTC)
    forged = jwt.encode(
        {"sub": "ana.budget", "role": "admin", "iat": now, "exp": now + timedelta(minutes=5)},
        "someone-else's-secret-key-of-forty-chars",
        algorithm=ALGORITHM,
    )
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json() == {"detail": "The access token is not valid; sign in again."}


def test_a_token_without_an_expiry_is_refused(
    db: Database, client: TestClient, settings: Settings
) -> None:
    add_user(db, "ana.budget")
    eternal = jwt.encode(
        {"sub": "ana.budget", "role": "budget_officer"},
        settings.secret_key.get_secret_value(),
        algorithm=ALGORITHM,
    )
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {eternal}"})
    assert response.status_code == 401


def test_a_token_stops_working_once_the_account_is_disabled(
    db: Database, client: TestClient
) -> None:
    add_user(db, "ana.budget")
    headers = sign_in(client, "ana.budget")
    with db.uow() as uow:
        deactivate_user(uow, "ana.budget", actor="admin")
        uow.commit()
    response = client.get("/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "This account no longer exists or has been disabled."}


def test_a_disabled_account_cannot_sign_in(db: Database, client: TestClient) -> None:
    add_user(db, "ana.budget")
    with db.uow() as uow:
        deactivate_user(uow, "ana.budget", actor="admin")
        uow.commit()
    response = client.post("/auth/token", data={"username": "ana.budget", "password": PASSWORD})
    assert response.status_code == 401


def test_a_role_change_applies_to_tokens_already_issued(db: Database, client: TestClient) -> None:
    add_user(db, "ana.budget")
    headers = sign_in(client, "ana.budget")
    with db.uow() as uow:
        uow.session.execute(
            update(User).where(User.username == "ana.budget").values(role=Role.EXECUTIVE)
        )
        uow.commit()
    assert client.get("/auth/me", headers=headers).json()["role"] == "executive"


def test_a_malformed_sign_in_form_is_rejected_before_any_password_check(
    client: TestClient,
) -> None:
    response = client.post("/auth/token", data={"username": "ana.budget"})
    assert response.status_code == 422
    too_long = client.post("/auth/token", data={"username": "a" * 65, "password": PASSWORD})
    assert too_long.status_code == 422
