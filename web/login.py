"""Flask-Login's view of a user, and the server-side session behind the cookie.

The cookie carries a session token (``get_id``), not the user name: the loader asks the
session records (``petitions.users.sessions``) whether the token is still live, so signing
out, deactivation and a password change end sessions the cookie alone could not.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask import Flask
from flask_login import LoginManager

from petitions.users.accounts import Accounts
from petitions.users.store import User


@dataclass(frozen=True)
class SignedInUser(User):
    """A user as Flask-Login keeps them in the session (``current_user``)."""

    session_token: str = ""

    @classmethod
    def of(cls, user: User | None, session_token: str = "") -> SignedInUser | None:
        """Wrap a user from the store with their session's token (None stays None)."""
        if user is None:
            return None
        return cls(**{f.name: getattr(user, f.name) for f in fields(User)},
                   session_token=session_token)

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
        """Return what Flask-Login keeps in the cookie: the session token."""
        return self.session_token


def init(app: Flask, accounts: Accounts) -> LoginManager:
    """Attach Flask-Login to ``app``, loading users from their live sessions."""
    login = LoginManager(app)
    login.login_view = "auth.login"
    login.login_message = None  # the sign-in page says why on its own

    @login.user_loader
    def load_user(token: str) -> Any:
        return SignedInUser.of(accounts.resolve(token), token)

    return login
