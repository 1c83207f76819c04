"""Folding Vietnamese text for search: lower case, no diacritics, đ → d.

With a cipher key the events are encrypted, and an item's content (free text that may
name people) must not sit in clear in the views either: its words are then kept as keyed
tokens (HMAC-SHA-256 under a key derived from the cipher key), which a search for a whole
word still finds. Codes and titles stay folded text: lists and digests print them anyway.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Vietnamese diacritics all decompose to marks of this block (every one of them is "Mn"):
# removing them with one regex is much faster than testing each character's category.
_COMBINING = re.compile("[\u0300-\u036f]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _drop_mark(match: re.Match[str]) -> str:
    # Typographic quotes and dashes are common in pasted text: test only such characters.
    return "" if unicodedata.category(match.group()) == "Mn" else match.group()




def fold(text: str) -> str:
    """Return ``text`` without diacritics, lower-cased, spaces collapsed ("Thoát Nước" → "thoat nuoc")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = _COMBINING.sub("", decomposed)
    if not stripped.isascii():  # other marks (rare): the general rule, on non-ASCII only
        stripped = _NON_ASCII.sub(_drop_mark, stripped)
    # str.split() and the regex "\s" agree on what whitespace is; split() is much faster.
    return " ".join(stripped.lower().split())


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` (for similarity suggestions)."""
    return re.findall(r"[a-z0-9]+", fold(text))


# -- blinded words (with a cipher key) -------------------------------------------------------
BLIND_MARK = "~"  # folded text never starts a word with it, so tokens and words never meet


def search_key(cipher_key: str) -> bytes | None:
    """Derive the key that blinds content words from the cipher key (None without one)."""
    if not cipher_key:
        return None
    return hmac.new(cipher_key.encode(), b"petitions: search words of item contents",
                    hashlib.sha256).digest()


def blind(word: str, key: bytes) -> str:
    """Return the token that stands for a folded ``word`` (equal words, equal tokens)."""
    return BLIND_MARK + hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:16]


def blinded(text: str, key: bytes) -> str:
    """Return the distinct words of ``text`` as tokens: searchable, not readable."""
    return " ".join(sorted({blind(word, key) for word in words(text)}))
