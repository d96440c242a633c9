"""Sign-in attempts are limited per address and username, in memory or in Redis."""

import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from obcms_core.api.app import create_app
from obcms_core.config import Settings
from obcms_core.services.database import Database
from tests.api.conftest import PASSWORD, add_user

REDIS_URL = "redis://127.0.0.1:6379/0"


def attempt(client: TestClient, username: str, password: str = "wrong password") -> int:
    response = client.post("/auth/token", data={"username": username, "password": password})
    return response.status_code


@pytest.fixture
def limited(db: Database, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db.session_factory, rate_limit=True)) as client:
        yield client


def test_the_eleventh_attempt_in_a_minute_is_refused_with_429(
    db: Database, limited: TestClient
) -> None:
    add_user(db, "ana.budget")
    assert [attempt(limited, "ana.budget") for _ in range(10)] == [401] * 10
    response = limited.post("/auth/token", data={"username": "ana.budget", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many sign-in attempts for this username.")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_a_locked_username_does_not_lock_out_colleagues(db: Database, limited: TestClient) -> None:
    add_user(db, "ana.budget")
    add_user(db, "ben.planner")
    for _ in range(11):
        attempt(limited, "ana.budget")
    assert attempt(limited, "ben.planner", PASSWORD) == 200


def test_one_address_cannot_spray_guesses_across_many_usernames(
    db: Database, limited: TestClient
) -> None:
    names = [f"user{i}" for i in range(7)]
    for name in names:
        add_user(db, name)
    codes = [attempt(limited, name) for name in names for _ in range(9)]
    assert codes[:60] == [401] * 60
    assert set(codes[60:]) == {429}


def test_sign_in_is_not_limited_when_the_app_is_built_without_limits(
    db: Database, client: TestClient
) -> None:
    add_user(db, "ana.budget")
    assert {attempt(client, "ana.budget") for _ in range(12)} == {401}


def redis_or_skip() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    return REDIS_URL


def test_api_processes_sharing_redis_share_one_count(db: Database, settings: Settings) -> None:
    shared = settings.model_copy(update={"redis_url": redis_or_skip()})
    # A fresh address and username: counts left in Redis by earlier runs must not matter.
    address = (f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7", 50000)
    username = f"u{uuid.uuid4().hex[:12]}"
    add_user(db, username)
    first = TestClient(create_app(shared, db.session_factory), client=address)
    second = TestClient(create_app(shared, db.session_factory), client=address)
    codes = [attempt(first if i % 2 else second, username) for i in range(10)]
    assert codes == [401] * 10
    assert attempt(first, username, PASSWORD) == 429
    assert attempt(second, username, PASSWORD) == 429
