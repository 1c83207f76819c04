"""The user store: accounts and deputies' followed items, in the views database (not a view).

Passwords are hashed with Argon2id (argon2-cffi). A user's role and scope (district,
agency, deputy group) become the ``Actor`` every command is performed as.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import (
    Boolean, Column, DateTime, Engine, MetaData, String, Table, delete, insert, select, update,
)
from sqlalchemy.exc import IntegrityError

from domain.actor import Actor, Role
from domain.errors import InvalidInput, N_
from domain.text import NAME_MAX, text_problem
from petitions.settings import Settings
from petitions.users import history, workspace
from petitions.users.names import canonical_username
from petitions.users.scope import scope_errors
from projections.store import views_engine

LANGUAGES = ("vi", "en")
USER_ROLES = (Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.AGENCY_STAFF, Role.DEPUTY, Role.ADMIN)
PASSWORD_MIN = 8
PASSWORD_MAX = 256

metadata = MetaData()

users_table = Table(
    "users", metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(32), nullable=False),
    Column("district", String(64), nullable=True),
    Column("agency", String(96), nullable=True),
    Column("deputy_group", String(32), nullable=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("language", String(8), nullable=False, default="vi"),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

follows_table = Table(
    "follows", metadata,
    Column("username", String(64), primary_key=True),
    Column("item_id", String(36), primary_key=True),
    Column("code", String(32), nullable=False),
    Column("followed_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class User:
    """A signed-in person: role, scope and preferred language."""

    username: str
    role: Role
    district: str | None = None
    agency: str | None = None
    deputy_group: str | None = None
    display_name: str = ""
    language: str = "vi"
    active: bool = True

    def actor(self) -> Actor:
        """Return the actor commands are performed as."""
        return Actor(self.username, self.role, district=self.district, agency=self.agency,
                     deputy_group=self.deputy_group)


class UserStore:
    """Create, find and authenticate users; record which items deputies follow."""

    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        self.hasher = hasher or PasswordHasher()
        # Verifying against a dummy hash when the user is unknown keeps timing uniform.
        self._dummy_hash = self.hasher.hash("not-a-real-password")

    @classmethod
    def from_settings(cls, settings: Settings, hasher: PasswordHasher | None = None) -> UserStore:
        """Open the store in the configured views database and create its tables."""
        store = cls(views_engine(settings), hasher)
        store.create_all()
        return store

    def create_all(self) -> None:
        """Create the users and follows tables, and the account history, if missing."""
        metadata.create_all(self.engine)
        history.metadata.create_all(self.engine)
        workspace.metadata.create_all(self.engine)

    # -- accounts ----------------------------------------------------------------------------
    def add(self, username: str, password: str, role: str | Role, *, district: str | None = None,
            agency: str | None = None, deputy_group: str | None = None, display_name: str = "",
            language: str = "vi", reference: dict[str, Any] | None = None,
            created_by: str = "system", address: str = "", at: datetime | None = None,
            today: date | None = None) -> User:
        """Create a user; refuse bad names, weak passwords, unknown roles or missing scope.

        With ``reference`` (the tracker's reference data), scope codes must name entries
        valid on ``today`` (the tracker's date; the machine's when not given).
        The account's history starts with who created it.
        """
        errors = scope_errors(reference, today or datetime.now(timezone.utc).date(),
                              district=district, agency=agency, deputy_group=deputy_group)
        username = canonical_username(username)
        if not username:
            errors["username"] = [N_("Use 2-64 lowercase letters, digits, dots, dashes.")]
        if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
            errors["password"] = [N_("The password must have 8 to 256 characters.")]
        role, role_problems = checked_role(role, district, agency)
        errors.update(role_problems)
        if language not in LANGUAGES:
            errors["language"] = [N_("Unknown value.")]
        # The web form bounds the name too; the command line and the demo come here directly.
        if problem := text_problem(display_name, max_length=NAME_MAX, required=False):
            errors["display_name"] = [problem]
        if errors:
            raise InvalidInput(errors)
        user = User(username, role, district=district or None, agency=agency or None,
                    deputy_group=deputy_group or None, display_name=display_name or username,
                    language=language)
        row = {
            "username": user.username, "password_hash": self.hasher.hash(password),
            "role": user.role.value, "district": user.district, "agency": user.agency,
            "deputy_group": user.deputy_group, "display_name": user.display_name,
            "language": user.language, "active": True,
            "created_at": at or datetime.now(timezone.utc),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(users_table).values(**row))
                history.record(conn, user.username, history.ACCOUNT_CREATED, created_by,
                               row["created_at"], address, role=user.role.value,
                               district=user.district, agency=user.agency,
                               deputy_group=user.deputy_group)
        except IntegrityError:
            raise InvalidInput({"username": [N_("This user name is taken.")]}) from None
        return user

    def get(self, username: str) -> User | None:
        """Return the user with this name, or None."""
        if not isinstance(username, str) or len(username) > 64:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users_table).where(users_table.c.username == username)).mappings().first()
        return _user(row) if row else None

    def all(self) -> list[User]:
        """Return every user, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users_table).order_by(users_table.c.username)).mappings()
            return [_user(r) for r in rows]

    def authenticate(self, username: str, password: str) -> User | None:
        """Return the active user whose password matches, else None."""
        return self.check_password(canonical_username(username), password)[0]

    def check_password(self, name: str, password: str) -> tuple[User | None, bool]:
        """Check the password of canonical ``name``: (the active user or None, whether the name exists).

        An unknown name is checked against a dummy hash, so the time taken does not tell
        whether the account exists.
        """
        stored = None
        if name:
            with self.engine.connect() as conn:
                stored = conn.execute(
                    select(users_table).where(users_table.c.username == name)
                ).mappings().first()
        password = password if isinstance(password, str) else ""
        try:
            self.hasher.verify(stored["password_hash"] if stored else self._dummy_hash,
                               password[:PASSWORD_MAX])
        except (VerificationError, InvalidHashError):
            return None, stored is not None
        if stored is None or not stored["active"]:
            return None, stored is not None
        if self.hasher.check_needs_rehash(stored["password_hash"]):
            self._set_hash(name, self.hasher.hash(password))
        return _user(stored), True

    def new_hash(self, password: str) -> str:
        """Hash a new password, refusing one too short or too long."""
        if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
            raise InvalidInput({"password": [N_("The password must have 8 to 256 characters.")]})
        return self.hasher.hash(password)

    def _set_hash(self, username: str, password_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(users_table).where(users_table.c.username == username)
                         .values(password_hash=password_hash))

    def set_language(self, username: str, language: str) -> None:
        """Remember the user's preferred language."""
        if language not in LANGUAGES:
            raise InvalidInput({"language": [N_("Unknown value.")]})
        with self.engine.begin() as conn:
            conn.execute(update(users_table).where(users_table.c.username == username)
                         .values(language=language))

    # -- follows -----------------------------------------------------------------------------
    def follow(self, username: str, item_id: UUID, code: str) -> bool:
        """Follow an item; return False when it was already followed."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(follows_table).values(
                    username=username, item_id=str(item_id), code=code,
                    followed_at=datetime.now(timezone.utc)))
        except IntegrityError:
            return False
        return True

    def unfollow(self, username: str, item_id: UUID) -> bool:
        """Stop following an item; return False when it was not followed."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(follows_table).where(
                follows_table.c.username == username, follows_table.c.item_id == str(item_id)))
        return bool(result.rowcount)

    def is_following(self, username: str, item_id: UUID) -> bool:
        """Tell whether the user follows the item."""
        with self.engine.connect() as conn:
            row = conn.execute(select(follows_table.c.code).where(
                follows_table.c.username == username,
                follows_table.c.item_id == str(item_id))).first()
        return row is not None

    def following(self, username: str) -> list[dict[str, Any]]:
        """Return the items the user follows, most recently followed first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(follows_table).where(
                follows_table.c.username == username
            ).order_by(follows_table.c.followed_at.desc())).mappings()
            return [{"item_id": UUID(r["item_id"]), "code": r["code"],
                     "followed_at": r["followed_at"]} for r in rows]


def checked_role(role: str | Role, district: str | None, agency: str | None
                 ) -> tuple[Role, dict[str, list[str]]]:
    """Return the role and the errors of a role with its scope (staff need their unit)."""
    try:
        role = Role(role)
    except ValueError:
        return Role.DEPUTY, {"role": [N_("Unknown value.")]}
    if role not in USER_ROLES:
        return role, {"role": [N_("Unknown value.")]}
    if role is Role.DISTRICT_STAFF and not district:
        return role, {"district": [N_("District staff need a district.")]}
    if role is Role.AGENCY_STAFF and not agency:
        return role, {"agency": [N_("Agency staff need an agency.")]}
    return role, {}


def _user(row: Any) -> User:
    return User(
        username=row["username"], role=Role(row["role"]), district=row["district"],
        agency=row["agency"], deputy_group=row["deputy_group"],
        display_name=row["display_name"] or row["username"], language=row["language"] or "vi",
        active=bool(row["active"]),
    )
