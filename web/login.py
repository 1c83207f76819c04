"""Flask-Login's view of a user: the store's ``User`` with the protocol Flask-Login expects."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask import Flask
from flask_login import LoginManager

from petitions.users.store import User, UserStore


@dataclass(frozen=True)
class SignedInUser(User):
    """A user as Flask-Login keeps them in the session (``current_user``)."""

    @classmethod
    def of(cls, user: User | None) -> SignedInUser | None:
        """Wrap a user from the store (None stays None)."""
        if user is None:
            return None
        return cls(**{f.name: getattr(user, f.name) for f in fields(User)})

    @property
    def is_authenticated(self) -> bool:
        """Tell Flask-Login this is a real user."""
        return True

    @property
    def is_active(self) -> bool:
        """Tell Flask-Login whether the account may sign in."""
        return self.active

    @property
    def is_anonymous(self) -> bool:
        """Tell Flask-Login this is not the anonymous user."""
        return False

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session."""
        return self.username


def init(app: Flask, store: UserStore) -> LoginManager:
    """Attach Flask-Login to ``app``, loading users from ``store``."""
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = None  # the sign-in page says why on its own

    @login.user_loader
    def load_user(username: str) -> Any:
        return SignedInUser.of(store.get(username))

    return login
