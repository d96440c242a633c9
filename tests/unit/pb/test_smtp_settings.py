"""OBCMS_SMTP_URL: where notification e-mail goes, refused with one sentence when malformed."""

from __future__ import annotations

import pytest

from obcms_core.config import SettingsError, get_settings, parse_smtp_url


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch):
    monkeypatch.delenv("OBCMS_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_an_smtp_url_names_server_login_encryption_and_sender():
    target = parse_smtp_url("smtp://pb%40oobc:p%3Ass@mail.example.org:587?starttls=true&from=pb@x.ph")
    assert (target.host, target.port, target.username, target.password) == (
        "mail.example.org", 587, "pb@oobc", "p:ss")
    assert (target.ssl, target.starttls, target.sender) == (False, True, "pb@x.ph")
    secure = parse_smtp_url("smtps://relay.example.org")
    assert (secure.port, secure.ssl, secure.username, secure.sender) == (
        465, True, None, "obcms@relay.example.org")


def test_no_smtp_url_means_no_mail(monkeypatch):
    monkeypatch.setenv("OBCMS_SMTP_URL", " ")
    assert get_settings().smtp_url is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://mail.example.org", "'http' is not smtp or smtps"),
     ("smtp://mail.example.org:port", "the port is not a number"),
     ("smtp:///nohost", "the host is missing")],
)
def test_a_malformed_smtp_url_is_refused_with_the_reason(monkeypatch, url, reason):
    monkeypatch.setenv("OBCMS_SMTP_URL", url)
    with pytest.raises(SettingsError) as refused:
        get_settings()
    assert "OBCMS_SMTP_URL must look like smtp://user:password@host:587" in str(refused.value)
    assert reason in str(refused.value)
