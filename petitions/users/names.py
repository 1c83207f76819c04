"""User names in one canonical form, used alike by the sign-in limit and by authentication.

Finding 2 of issue 14: the limiter and the password check each cleaned the typed name their
own way, so ``"dai.bieu" + spaces + "zz"`` signed in as dai.bieu under a new limit each
time. Both now call :func:`canonical_username` and nothing else.
"""
from __future__ import annotations

import re
import unicodedata

USERNAME_MAX = 64
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Longer input cannot become a valid name: refuse it before normalising (bounded work).
RAW_MAX = 4 * USERNAME_MAX
# Whitespace, controls and invisible format characters (zero-width space, bidi marks).
_DROPPED_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf"}


def canonical_username(raw: object) -> str:
    """Return the user name ``raw`` stands for, or "" when it cannot be anyone's name.

    NFKC (full-width and compatibility forms fold to ASCII), every Unicode whitespace and
    invisible character removed, case folded, then checked against the allowed shape —
    never cut: an over-long name is no name, so it cannot stand for a shorter one.
    """
    if not isinstance(raw, str) or len(raw) > RAW_MAX:
        return ""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch for ch in text
                   if not ch.isspace() and unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = unicodedata.normalize("NFKC", text.casefold())
    return text if USERNAME_RE.match(text) else ""
