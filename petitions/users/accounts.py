"""Accounts: one method per use case — signing in (password, second factor, sessions) and
the administrator's lifecycle actions (deactivate, reactivate, role and scope, password
reset, two-factor reset). Every change and every sign-in leaves a record in the account
history (``history``), in the same transaction as the change.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert, select, update

from domain.actor import Actor, Role
from domain.errors import DomainError, InvalidInput, N_
from petitions import permissions
from petitions.errors import ItemNotFound
from petitions.users import history, second_factor
from petitions.users.attempts import SignInLimiter
from petitions.users.names import canonical_username
from petitions.users.scope import scope_errors
from petitions.users.sessions import SessionStore
from petitions.users.store import User, UserStore, checked_role, users_table

metadata = MetaData()

# A reset link is given by the administrator in person or by phone: a working day is enough.
RESET_LIFETIME = timedelta(hours=24)

password_resets_table = Table(
    "password_resets", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("issued_by", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)


class AccountNotFound(ItemNotFound):
    """No account has this user name (a 404, like a missing item)."""

    template = N_("There is no user {username}.")


class ResetLinkInvalid(DomainError):
    """A password reset link that is unknown, used or expired."""

    template = N_("This link is not valid: it was used already or it expired. "
                  "Ask an administrator for a new one.")


class OwnAccount(DomainError):
    """An administrator cannot lock themselves out."""

    template = N_("You cannot deactivate your own account or change your own role.")


@dataclass(frozen=True)
class PasswordChecked:
    """The outcome of the password step: the user (None when refused) and what comes next."""

    user: User | None
    next_step: str = "session"  # "session", "code" (enter a TOTP code) or "enrol"


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret, grouped, and its QR code."""

    secret: str
    grouped: str
    qr: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


class Accounts:
    """The account use cases, over the user store, the sessions and the sign-in limit."""

    def __init__(self, store: UserStore, sessions: SessionStore, limiter: SignInLimiter,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.engine = store.engine
        self.sessions = sessions
        self.limiter = limiter
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        for tables in (second_factor.metadata, metadata, history.metadata):
            tables.create_all(self.engine)

    @classmethod
    def from_settings(cls, settings: Any, store: UserStore,
                      clock: Callable[[], datetime] | None = None) -> Accounts:
        """Build the use cases on ``store``'s database: sessions, and the limit (or Redis)."""
        from petitions.users.attempts import attempt_store

        sessions = SessionStore(store.engine, timedelta(minutes=settings.session_idle_minutes))
        limiter = SignInLimiter(attempt_store(settings, store.engine), clock=clock)
        return cls(store, sessions, limiter, clock=clock)

    # -- signing in ---------------------------------------------------------------------------
    def check_password(self, raw_name: Any, password: Any, address: str) -> PasswordChecked:
        """Check a typed name and password within the limits (TooManyAttempts past them)."""
        name = canonical_username(raw_name)
        attempt = self.limiter.attempt(name, address)
        user, exists = self.store.check_password(name, password)
        if user is None:
            if exists:  # unknown names have no history to write to
                self._record(name, history.SIGN_IN_FAILED, name, address)
            return PasswordChecked(None)
        attempt.succeeded()
        if self._totp(user.username, confirmed=True) is not None:
            return PasswordChecked(user, "code")
        if permissions.must_use_second_factor(user.actor()):
            return PasswordChecked(user, "enrol")
        return PasswordChecked(user)

    def check_code(self, username: str, code: Any, address: str) -> bool:
        """Check a TOTP code or a recovery code, within the same limits as passwords."""
        attempt = self.limiter.attempt(username, address)
        now = self.clock()
        row = self._totp(username, confirmed=True)
        step = (second_factor.matching_step(row["secret"], code, now, row["last_step"])
                if row is not None else None)
        with self.engine.begin() as conn:
            if step is not None:
                # Only a later step is accepted next time: a code works once (RFC 6238 §5.2).
                result = conn.execute(update(second_factor.totp_table).where(
                    second_factor.totp_table.c.username == username,
                    second_factor.totp_table.c.last_step < step).values(last_step=step))
                ok = bool(result.rowcount)
            else:
                ok = row is not None and second_factor.use_recovery_code(conn, username,
                                                                         str(code or ""), now)
                if ok:
                    history.record(conn, username, history.RECOVERY_CODE_USED, username, now,
                                   address, left=second_factor.unused_recovery_codes(conn, username))
            if not ok:
                history.record(conn, username, history.SECOND_FACTOR_FAILED, username, now, address)
        if ok:
            attempt.succeeded()
        return ok

    def begin_enrolment(self, username: str) -> Enrolment:
        """Return the user's pending TOTP secret (created on first call) with its QR code."""
        if self._totp(username, confirmed=True) is not None:
            raise DomainError(N_("Two-factor sign-in is already set up for this account."))
        row = self._totp(username, confirmed=False)
        if row is None:
            secret = second_factor.new_secret()
            with self.engine.begin() as conn:
                conn.execute(delete(second_factor.totp_table).where(
                    second_factor.totp_table.c.username == username))
                conn.execute(insert(second_factor.totp_table).values(
                    username=username, secret=secret, confirmed=False, last_step=0,
                    created_at=self.clock()))
        else:
            secret = row["secret"]
        uri = second_factor.provisioning_uri(secret, username)
        return Enrolment(secret, second_factor.grouped(secret), second_factor.qr_data_uri(uri))

    def confirm_enrolment(self, username: str, code: Any, address: str) -> list[str] | None:
        """Confirm the pending secret with a code from the app; return the recovery codes."""
        attempt = self.limiter.attempt(username, address)
        row = self._totp(username, confirmed=False)
        now = self.clock()
        step = (second_factor.matching_step(row["secret"], code, now, 0)
                if row is not None else None)
        with self.engine.begin() as conn:
            if step is None:
                history.record(conn, username, history.SECOND_FACTOR_FAILED, username, now,
                               address, during="enrolment")
                return None
            conn.execute(update(second_factor.totp_table).where(
                second_factor.totp_table.c.username == username).values(
                confirmed=True, last_step=step))
            codes = second_factor.new_recovery_codes(conn, username)
            history.record(conn, username, history.TWO_FACTOR_ENROLLED, username, now, address)
        attempt.succeeded()
        return codes

    def has_second_factor(self, username: str) -> bool:
        """Tell whether the user signs in with a TOTP code."""
        return self._totp(username, confirmed=True) is not None

    def unused_recovery_codes(self, username: str) -> int:
        """Count the user's recovery codes left."""
        with self.engine.connect() as conn:
            return second_factor.unused_recovery_codes(conn, username)

    def start_session(self, user: User, address: str, second: bool) -> str:
        """Start a session after every step passed; return its token for the cookie."""
        token = self.sessions.start(user.username, address, self.clock())
        self._record(user.username, history.SIGNED_IN, user.username, address,
                     second_factor=second)
        return token

    def resolve(self, token: Any) -> User | None:
        """Return the active user of a live session, or None."""
        username = self.sessions.resolve(token, self.clock())
        user = self.store.get(username) if username else None
        return user if user is not None and user.active else None

    def sign_out(self, token: str, address: str) -> None:
        """End every session of the token's user (signing out signs out everywhere)."""
        username = self.sessions.username_of(token)
        if username is None:
            return
        now = self.clock()
        with self.engine.begin() as conn:
            SessionStore.end_all(conn, username, now, "signed_out")
            history.record(conn, username, history.SIGNED_OUT, username, now, address)

    def set_language(self, username: str, language: str) -> None:
        """Remember the user's language."""
        self.store.set_language(username, language)

    # -- the administrator's actions ----------------------------------------------------------
    def create(self, actor: Actor, address: str = "", **fields: Any) -> User:
        """Create an account (its history starts with who created it)."""
        return self.store.add(created_by=actor.username, address=address, at=self.clock(),
                              **fields)

    def deactivate(self, actor: Actor, username: str, address: str = "") -> None:
        """Deactivate an account: it cannot sign in and its sessions end now."""
        self._own(actor, username)
        self._change(actor, username, history.ACCOUNT_DEACTIVATED, address, {"active": False},
                     end_sessions="deactivated")

    def reactivate(self, actor: Actor, username: str, address: str = "") -> None:
        """Let a deactivated account sign in again."""
        self._change(actor, username, history.ACCOUNT_REACTIVATED, address, {"active": True})

    def change_role(self, actor: Actor, username: str, role: Any, *, district: str | None,
                    agency: str | None, deputy_group: str | None,
                    reference: dict[str, Any] | None, today: date, address: str = "") -> None:
        """Give an account another role or scope; its sessions end (the new role applies at once)."""
        self._own(actor, username)
        before = self._get(username)
        new_role, errors = checked_role(role or "", district, agency)
        errors.update(scope_errors(reference, today, district=district, agency=agency,
                                   deputy_group=deputy_group))
        if errors:
            raise InvalidInput(errors)
        # A scope belongs to one role: district staff keep no agency, and so on.
        values = {"role": new_role.value,
                  "district": district if new_role is Role.DISTRICT_STAFF else None,
                  "agency": agency if new_role is Role.AGENCY_STAFF else None,
                  "deputy_group": deputy_group if new_role is Role.DEPUTY else None}
        self._change(actor, username, history.ROLE_CHANGED, address, values,
                     end_sessions="role_changed", before={
                         "role": before.role.value, "district": before.district,
                         "agency": before.agency, "deputy_group": before.deputy_group})

    def issue_password_reset(self, actor: Actor, username: str, address: str = "") -> str:
        """Issue a one-time password reset token (valid 24 hours); return it, shown once."""
        self._get(username)
        token = secrets.token_urlsafe(24)
        now = self.clock()
        with self.engine.begin() as conn:
            # Only the newest link works.
            conn.execute(delete(password_resets_table).where(
                password_resets_table.c.username == username,
                password_resets_table.c.used_at.is_(None)))
            conn.execute(insert(password_resets_table).values(
                token_hash=_digest(token), username=username, issued_by=actor.username,
                issued_at=now, expires_at=now + RESET_LIFETIME))
            history.record(conn, username, history.PASSWORD_RESET_ISSUED, actor.username, now,
                           address, expires_at=(now + RESET_LIFETIME).isoformat())
        return token

    def reset_target(self, token: Any) -> str:
        """Return whose password a reset token resets (ResetLinkInvalid if it cannot)."""
        t = password_resets_table
        if not isinstance(token, str) or len(token) > 100:
            raise ResetLinkInvalid()
        with self.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.token_hash == _digest(token))).mappings().first()
        if row is None or row["used_at"] is not None or self.clock() >= _aware(row["expires_at"]):
            raise ResetLinkInvalid()
        return row["username"]

    def reset_password(self, token: Any, password: Any, address: str = "") -> str:
        """Set a new password with a reset token (used once); every session ends."""
        username = self.reset_target(token)
        password_hash = self.store.new_hash(password)
        now = self.clock()
        t = password_resets_table
        with self.engine.begin() as conn:
            used = conn.execute(update(t).where(t.c.token_hash == _digest(token),
                                                t.c.used_at.is_(None)).values(used_at=now))
            if not used.rowcount:  # spent by a parallel request
                raise ResetLinkInvalid()
            self._write_password(conn, username, password_hash, username, now, address,
                                 via="reset_link")
        return username

    def change_password(self, username: str, password: Any, address: str = "") -> None:
        """Change a password (the command line, or tests); every session of the user ends."""
        password_hash = self.store.new_hash(password)
        with self.engine.begin() as conn:
            self._write_password(conn, username, password_hash, username, self.clock(), address)

    def reset_two_factor(self, actor: Actor, username: str, address: str = "") -> None:
        """Remove an account's TOTP secret and recovery codes (a lost phone); sessions end."""
        self._get(username)
        now = self.clock()
        with self.engine.begin() as conn:
            for table in (second_factor.totp_table, second_factor.recovery_table):
                conn.execute(delete(table).where(table.c.username == username))
            SessionStore.end_all(conn, username, now, "two_factor_reset")
            history.record(conn, username, history.TWO_FACTOR_RESET, actor.username, now, address)

    def overview(self) -> list[dict[str, Any]]:
        """Return every account with whether it signs in with a second factor."""
        t = second_factor.totp_table
        with self.engine.connect() as conn:
            enrolled = set(conn.execute(select(t.c.username).where(t.c.confirmed.is_(True))).scalars())
        return [{"account": user, "second_factor": user.username in enrolled}
                for user in self.store.all()]

    def account(self, username: str) -> dict[str, Any]:
        """Return what the administrator's page of one account shows."""
        user = self._get(username)
        return {
            "account": user,
            "second_factor": self.has_second_factor(username),
            "second_factor_required": permissions.must_use_second_factor(user.actor()),
            "recovery_codes_left": self.unused_recovery_codes(username),
            "sessions": self.sessions.live(username, self.clock()),
            "changes": [r for r in history.of_user(self.engine, username)
                        if r["kind"] not in history.SIGN_IN_KINDS],
            "sign_ins": history.of_user(self.engine, username, history.SIGN_IN_KINDS),
        }

    # -- helpers ------------------------------------------------------------------------------
    def _get(self, username: str) -> User:
        # Only a canonical name can be an account's (and a NUL never reaches PostgreSQL).
        user = self.store.get(username) if canonical_username(username) == username else None
        if user is None:
            raise AccountNotFound(username=username)
        return user

    @staticmethod
    def _own(actor: Actor, username: str) -> None:
        if actor.username == username:
            raise OwnAccount()

    def _change(self, actor: Actor, username: str, kind: str, address: str,
                values: dict[str, Any], end_sessions: str | None = None,
                before: dict[str, Any] | None = None) -> None:
        self._get(username)
        now = self.clock()
        with self.engine.begin() as conn:
            conn.execute(update(users_table).where(users_table.c.username == username)
                         .values(**values))
            if end_sessions:
                SessionStore.end_all(conn, username, now, end_sessions)
            facts = dict(values)
            if before is not None:
                facts["before"] = before
            history.record(conn, username, kind, actor.username, now, address, **facts)

    @staticmethod
    def _write_password(conn: Any, username: str, password_hash: str, actor: str,
                        now: datetime, address: str, **facts: Any) -> None:
        conn.execute(update(users_table).where(users_table.c.username == username)
                     .values(password_hash=password_hash))
        SessionStore.end_all(conn, username, now, "password_changed")
        history.record(conn, username, history.PASSWORD_CHANGED, actor, now, address, **facts)

    def _totp(self, username: str, confirmed: bool) -> Any:
        t = second_factor.totp_table
        with self.engine.connect() as conn:
            return conn.execute(select(t).where(t.c.username == username,
                                                t.c.confirmed.is_(confirmed))).mappings().first()

    def _record(self, username: str, kind: str, actor: str, address: str, **facts: Any) -> None:
        with self.engine.begin() as conn:
            history.record(conn, username, kind, actor, self.clock(), address, **facts)
