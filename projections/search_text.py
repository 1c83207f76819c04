"""Folding Vietnamese text for search: lower case, no diacritics, đ → d."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Vietnamese diacritics all decompose to marks of this block (every one of them is "Mn"):
# removing them with one regex is much faster than testing each character's category.
_COMBINING = re.compile("[\u0300-\u036f]+")




def fold(text: str) -> str:
    """Return ``text`` without diacritics, lower-cased, spaces collapsed ("Thoát Nước" → "thoat nuoc")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = _COMBINING.sub("", decomposed)
    if not stripped.isascii():  # other scripts' marks (rare): the general rule
        stripped = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    # str.split() and the regex "\s" agree on what whitespace is; split() is much faster.
    return " ".join(stripped.lower().split())


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` (for similarity suggestions)."""
    return re.findall(r"[a-z0-9]+", fold(text))
