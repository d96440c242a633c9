"""Milestone e-mails leave the outbox through a real (local, in-test) SMTP server."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from sqlalchemy import select

from obcms_core.adapters.orm import NotificationOutbox
from obcms_core.config import get_settings
from obcms_core.domain.pb.milestones import OutboxStatus
from obcms_core.services.pb.outbox import send_pending
from tests.integration.pb_world import build_world, open_cycle, vote


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept mail: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: _SmtpServer = self.server  # type: ignore[assignment]
        self._say("220 test SMTP ready")
        envelope: dict[str, object] = {"to": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-test\r\n250 AUTH PLAIN\r\n")
            elif verb == "AUTH":
                server.logins.append(command)
                self._say("235 accepted")
            elif verb == "MAIL":
                envelope["from"] = command
                self._say("250 ok")
            elif verb == "RCPT":
                envelope["to"].append(command)  # type: ignore[union-attr]
                self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go ahead")
                body = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk
                server.messages.append((envelope, message_from_bytes(body)))
                envelope = {"to": []}
                self._say("250 queued")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[tuple[dict[str, object], object]] = []
        self.logins: list[str] = []


@pytest.fixture
def smtp() -> Iterator[_SmtpServer]:
    server = _SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(db):
    build_world(db)
    return db


def _outbox(db) -> list[tuple[int, OutboxStatus, int, str | None]]:
    with db.uow() as uow:
        return [tuple(r) for r in uow.session.execute(
            select(NotificationOutbox.milestone, NotificationOutbox.status,
                   NotificationOutbox.attempts, NotificationOutbox.last_error)
            .order_by(NotificationOutbox.id))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_pending_milestones_are_mailed_and_marked_sent(world, smtp):
    cycle_id = open_cycle(world, milestones=[1, 2], notify=["pb-team@example.org"])
    for voter in ("a", "b"):
        vote(world, cycle_id, voter, ["N1"])
    url = f"smtp://mailer:s3cret@127.0.0.1:{smtp.server_address[1]}?from=pb@oobc.example"
    report = send_pending(world, url)
    assert (report.sent, report.failed) == (2, 0)
    assert [(m, s, a) for m, s, a, _ in _outbox(world)] == [
        (1, OutboxStatus.SENT, 1), (2, OutboxStatus.SENT, 1)]
    subjects = [msg["Subject"] for _, msg in smtp.messages]
    assert subjects == ["Community priorities FY2026 (FY2026) has reached 1 ballot",
                        "Community priorities FY2026 (FY2026) has reached 2 ballots"]
    envelope, first = smtp.messages[0]
    assert first["From"] == "pb@oobc.example" and first["To"] == "pb-team@example.org"
    assert [t.lower() for t in envelope["to"]] == ["rcpt to:<pb-team@example.org>"]
    assert len(smtp.logins) == 1 and smtp.logins[0].startswith("AUTH PLAIN")
    # nothing left to send: a second run sends nothing
    assert send_pending(world, url).sent == 0 and len(smtp.messages) == 2


def test_without_an_smtp_url_notifications_stay_queued(world, monkeypatch):
    monkeypatch.delenv("OBCMS_SMTP_URL", raising=False)
    get_settings.cache_clear()
    cycle_id = open_cycle(world, milestones=[1])
    vote(world, cycle_id, "a", ["N1"])
    report = send_pending(world)
    get_settings.cache_clear()
    assert (report.sent, report.failed) == (0, 0) and "not set" in report.note
    assert [s for _, s, _, _ in _outbox(world)] == [OutboxStatus.PENDING]


def test_an_unreachable_server_counts_attempts_and_gives_up_after_the_last(world):
    cycle_id = open_cycle(world, milestones=[1], notify=["pb-team@example.org"])
    vote(world, cycle_id, "a", ["N1"])
    url = f"smtp://127.0.0.1:{_free_port()}"
    first = send_pending(world, url, max_attempts=2, timeout=2)
    [(_, status, attempts, error)] = _outbox(world)
    assert (first.sent, first.failed, status, attempts) == (0, 1, OutboxStatus.PENDING, 1)
    assert error.startswith("ConnectionRefusedError")
    send_pending(world, url, max_attempts=2, timeout=2)
    assert [(s, a) for _, s, a, _ in _outbox(world)] == [(OutboxStatus.FAILED, 2)]
    assert send_pending(world, url, max_attempts=2).failed == 0  # failed ones are not retried


def test_a_message_without_recipients_is_not_sent_and_says_why(world, smtp):
    with world.uow() as uow:
        uow.session.add(NotificationOutbox(topic="pb_milestone", recipients=[], subject="s",
                                           body="b"))
        uow.commit()
    report = send_pending(world, f"smtp://127.0.0.1:{smtp.server_address[1]}", max_attempts=1)
    assert (report.sent, report.failed) == (0, 1) and smtp.messages == []
    [(_, status, _, error)] = _outbox(world)
    assert status is OutboxStatus.FAILED and "no recipient" in error
