"""The notification outbox: milestones are queued with the ballot; an SMTP sender delivers them.

Queuing happens inside the ballot's transaction, so a notification exists exactly when the
ballot that crossed the milestone does; the unique (cycle, milestone) key keeps it to one.
`send_pending` runs apart from any user action (a scheduled job or `pb notify`) and commits
after each message, so a message marked sent has been handed to the SMTP server.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from obcms_core.adapters.orm import NotificationOutbox, PBCycle, User
from obcms_core.config import SmtpTarget, get_settings, parse_smtp_url
from obcms_core.domain.clock import utcnow
from obcms_core.domain.pb.milestones import OutboxStatus, milestone_message
from obcms_core.services.database import Database
from obcms_core.services.pb.common import upsert_insert

MILESTONE_TOPIC = "pb_milestone"


def queue_milestone(session: Session, cycle: PBCycle, ballots: int, now: datetime) -> bool:
    """Queue the e-mail for a milestone once; returns whether this call queued it."""
    recipients = list(cycle.notify_emails or [])
    if not recipients:
        creator = session.scalar(select(User.email).where(User.username == cycle.created_by))
        recipients = [creator] if creator else []
    subject, body = milestone_message(cycle.name, cycle.fiscal_year, ballots)
    stmt = (
        upsert_insert(session, NotificationOutbox)
        .values(
            topic=MILESTONE_TOPIC, cycle_id=cycle.id, milestone=ballots, recipients=recipients,
            subject=subject, body=body, status=OutboxStatus.PENDING, attempts=0, created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["cycle_id", "milestone"])
        .returning(NotificationOutbox.id)
    )
    return session.execute(stmt).scalar() is not None


@dataclass(frozen=True)
class SendReport:
    """What one run of the sender did."""

    sent: int
    failed: int  # attempts that failed this run (the message stays pending until max_attempts)
    note: str = ""


def _connect(target: SmtpTarget, timeout: float) -> smtplib.SMTP:
    if target.ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(target.host, target.port, timeout=timeout)
        if target.starttls:
            server.starttls(context=ssl.create_default_context())
    if target.username:
        server.login(target.username, target.password or "")
    return server


def _message(row: NotificationOutbox, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(row.recipients)
    message["Subject"] = row.subject
    message.set_content(row.body)
    return message


def _next(session: Session, after: int) -> NotificationOutbox | None:
    return session.scalar(
        select(NotificationOutbox)
        .where(NotificationOutbox.status == OutboxStatus.PENDING, NotificationOutbox.id > after)
        .order_by(NotificationOutbox.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def send_pending(
    db: Database, smtp_url: str | None = None, *, limit: int = 100, max_attempts: int = 5,
    timeout: float = 10.0,
) -> SendReport:
    """E-mail pending notifications (oldest first) when OBCMS_SMTP_URL is set; mark each sent,
    or count the attempt and keep the error (failed for good after `max_attempts`)."""
    url = smtp_url if smtp_url is not None else get_settings().smtp_url
    if not url:
        return SendReport(0, 0, "OBCMS_SMTP_URL is not set; notifications stay queued.")
    target = parse_smtp_url(url)
    server: smtplib.SMTP | None = None
    sent = failed = last = 0
    try:
        for _ in range(limit):
            with db.uow() as uow:
                row = _next(uow.session, last)
                if row is None:
                    break
                last = row.id
                try:
                    if not row.recipients:
                        raise ValueError("no recipient: set the cycle's notification e-mails")
                    if server is None:
                        server = _connect(target, timeout)
                    server.send_message(_message(row, target.sender))
                except (OSError, smtplib.SMTPException, ValueError) as exc:
                    row.attempts += 1
                    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                    if row.attempts >= max_attempts:
                        row.status = OutboxStatus.FAILED
                    failed += 1
                    _drop(server)
                    server = None
                else:
                    row.attempts += 1
                    row.status = OutboxStatus.SENT
                    row.sent_at = utcnow()
                    row.last_error = None
                    sent += 1
                uow.commit()
    finally:
        _drop(server)
    return SendReport(sent, failed)


def _drop(server: smtplib.SMTP | None) -> None:
    if server is not None:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()


def outbox_rows(db: Database, *, cycle_id: int | None = None) -> list[NotificationOutbox]:
    """Queued and delivered notifications, oldest first (detached copies, for pages)."""
    with db.uow() as uow:
        query = select(NotificationOutbox).order_by(NotificationOutbox.id)
        if cycle_id is not None:
            query = query.where(NotificationOutbox.cycle_id == cycle_id)
        rows = list(uow.session.scalars(query))
        uow.session.expunge_all()
        return rows
