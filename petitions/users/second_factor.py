"""Two-factor sign-in: TOTP (RFC 6238, pyotp) and single-use recovery codes.

Secrets are kept in ``user_totp`` (unconfirmed until the first right code); the last time
step accepted is stored so a code, once used, is refused (RFC 6238 §5.2). Recovery codes
are random (50 bits), shown once and stored as SHA-256 hashes: their entropy makes a slow
hash unnecessary. The QR code is drawn here as an SVG data URI (segno): no script, no CDN.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import (
    BigInteger, Boolean, Column, Connection, DateTime, MetaData, String, Table, delete, insert,
    select, update,
)

metadata = MetaData()

ISSUER = "HĐND TP Hà Nội"
RECOVERY_CODES = 10
# One step either side of now: phones' clocks drift by a few seconds.
VALID_WINDOW = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread

totp_table = Table(
    "user_totp", metadata,
    Column("username", String(64), primary_key=True),
    Column("secret", String(64), nullable=False),
    Column("confirmed", Boolean, nullable=False, default=False),
    Column("last_step", BigInteger, nullable=False, default=0),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

recovery_table = Table(
    "recovery_codes", metadata,
    Column("username", String(64), primary_key=True),
    Column("code_hash", String(64), primary_key=True),
    Column("used_at", DateTime(timezone=True), nullable=True),
)


def new_secret() -> str:
    """Return a fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    """Return the ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """Return the QR code of ``uri`` as an SVG data URI for an ``<img>``."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """Return the secret in groups of four, to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: datetime, after_step: int) -> int | None:
    """Return the time step whose code is ``code`` (newer than ``after_step``), else None."""
    code = "".join(code.split()) if isinstance(code, str) else ""
    if len(code) != 6 or not (code.isascii() and code.isdigit()):  # "١٢٣٤٥٦" is no code
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        # Compare every candidate, so timing does not tell which step matched.
        if hmac.compare_digest(totp.generate_otp(step), code) and step > after_step:
            found = step
    return found


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_recovery_code(code: str) -> str:
    """Return a typed recovery code without spaces, dashes or capitals."""
    return "".join(ch for ch in (code or "")[:40].lower() if ch.isalnum())


def new_recovery_codes(conn: Connection, username: str) -> list[str]:
    """Replace the user's recovery codes with fresh ones; return them (shown once)."""
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
             for _ in range(RECOVERY_CODES)]
    conn.execute(delete(recovery_table).where(recovery_table.c.username == username))
    conn.execute(insert(recovery_table), [
        {"username": username, "code_hash": _code_hash(c), "used_at": None} for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def use_recovery_code(conn: Connection, username: str, code: str, now: datetime) -> bool:
    """Spend one unused recovery code; return whether it was one."""
    t = recovery_table
    result = conn.execute(update(t).where(
        t.c.username == username, t.c.code_hash == _code_hash(normalise_recovery_code(code)),
        t.c.used_at.is_(None)).values(used_at=now))
    return bool(result.rowcount)


def unused_recovery_codes(conn: Connection, username: str) -> int:
    """Count the user's recovery codes still unused."""
    t = recovery_table
    return len(conn.execute(select(t.c.code_hash).where(
        t.c.username == username, t.c.used_at.is_(None))).all())
