"""Folding Vietnamese text for search: lower case, no diacritics, đ → d."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` without diacritics, lower-cased, spaces collapsed ("Thoát Nước" → "thoat nuoc")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.lower()).strip()


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` (for similarity suggestions)."""
    return re.findall(r"[a-z0-9]+", fold(text))
