"""The full-text index of the items' folded search text: SQLite FTS5 or a PostgreSQL tsvector.

A search used to test ``items_view.search_text LIKE '%word%'`` on every row: 10 ms at 10,000
items, 100 ms at 200,000. The index holds the same folded text (``search_text.fold``: no
diacritics, đ → d, lower case; personal data never in it, content words blinded under a
cipher key) split into words, so a search reads only the items that have the words.

Query language (``parse``), after the same folding as the text:
- every word must appear as a whole word, except the last, which may begin a word
  (``"thoat nu"`` finds «thoát nước»): search as you type;
- ``word*`` asks for any word beginning so, wherever it stands;
- ``"two words"`` in double quotes asks for the words next to each other, in that order;
- a code («KN-2025-00012») is the phrase of its parts (kn 2025 00012).

Results are the list's own order (newest first by default), so among items that match
equally the newest comes first and paging by cursor stays as cheap on page 1,000 as on
page 1. No relevance score is computed: scoring would read every match (a common word is in
a third of a million items) and break that.

SQLite: an FTS5 table whose rowid is the item's ``seq`` and whose content is
``items_view.search_text`` (external content: the text is stored once). PostgreSQL:
``items_search(seq, document tsvector)`` with a GIN index; the lexemes are made here (the
same word split as SQLite's unicode61 tokenizer), not by ``to_tsvector``, whose parser
reads «-2025» as a signed number and «12e4» as a float. Both live beside ``items_view``
rather than in it: the row is rewritten at every event, the words only at creation.

The projector writes the index in the transaction that writes the rows
(``ItemsProjection.apply``), so a listed item is always findable and vice versa.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, cast, column, literal_column, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from projections.search_text import BLIND_MARK, blind, fold, words

FTS = "items_fts"           # SQLite
FTS_TERMS = "items_fts_terms"  # SQLite: every indexed word once (prefixes expand through it)
PG_TABLE = "items_search"   # PostgreSQL
# A prefix longer than FTS5's own prefix indexes (2 and 3 letters) is expanded into the words
# it covers when they are at most this many: FTS5 merges every doclist of a prefix in full
# (17 ms for «duong*» at 1M items), while exact words stream newest first (0.1–0.3 ms).
EXPANDED_PREFIX = 4
MAX_EXPANSION = 24
MAX_TERMS = 8
# Lexemes: runs of letters and digits, with the blind mark kept at the front of a token so
# a blinded word («~3f2a…») never answers a prefix of clear text («de*» is not «de12…»).
_LEXEME = re.compile(rf"{re.escape(BLIND_MARK)}?[^\W_]+")
_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')
PG_MAX_POSITION = 16383     # tsvector positions stop there (later words keep that position)


@dataclass(frozen=True)
class Term:
    """One thing a search asks for: words next to each other, the last maybe a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


def lexemes(search_text: str) -> list[str]:
    """Return the indexed words of a (folded) search text, in order."""
    return _LEXEME.findall(search_text)


def parse(query: str) -> list[Term]:
    """Return the terms of a search box's text (at most eight; none for an empty box)."""
    terms: list[Term] = []
    folded = fold(query.replace("\u201c", '"').replace("\u201d", '"'))
    parts = list(_QUERY_PART.finditer(folded))
    for n, part in enumerate(parts):
        quoted, bare = part.group(1), part.group(2)
        raw = quoted if quoted is not None else bare
        found = tuple(w for w in re.findall(r"[^\W_]+", raw))
        if not found:
            continue
        last = n == len(parts) - 1
        prefix = raw.rstrip().endswith("*") or (quoted is None and last)
        terms.append(Term(found, prefix))
    return terms[:MAX_TERMS]


# -- writing -----------------------------------------------------------------------------------
def create(engine: Engine) -> None:
    """Create the index if it is missing and fill it from the rows already projected."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS,)).first()
            if exists:
                _create_terms(conn, fill=True)
                return
            # External content: the text stays in items_view; prefix indexes of 2 and 3
            # characters answer short prefixes without merging every word's list.
            conn.exec_driver_sql(
                f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='items_view', "
                f"content_rowid='seq', tokenize=\"unicode61 tokenchars '{BLIND_MARK}'\", "
                "prefix='2 3')")
            conn.exec_driver_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
            _create_terms(conn, fill=True)
            return
        exists = conn.execute(text("SELECT to_regclass(:t)"), {"t": PG_TABLE}).scalar()
        if exists:
            return
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {PG_TABLE} "
                          "(seq bigint PRIMARY KEY, document tsvector NOT NULL)"))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{PG_TABLE}_document "
                          f"ON {PG_TABLE} USING gin (document)"))
        rows = conn.execute(text("SELECT seq, search_text FROM items_view")).all()
        _pg_insert(conn, [(r.seq, r.search_text) for r in rows])


def _create_terms(conn: Connection, *, fill: bool) -> None:
    """Create the SQLite word list if missing; fill it from the index's own vocabulary once."""
    new = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TERMS,)).first() is None
    if not new:
        return
    conn.exec_driver_sql(f"CREATE TABLE {FTS_TERMS} (term TEXT PRIMARY KEY) WITHOUT ROWID")
    if fill:  # a store indexed before the list existed: read its words from FTS5, once
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE temp.{FTS}_vocab USING fts5vocab(main, {FTS}, 'row')")
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO {FTS_TERMS} SELECT term FROM "
                             f"temp.{FTS}_vocab")
        conn.exec_driver_sql(f"DROP TABLE temp.{FTS}_vocab")


def add(conn: Connection, rows: Iterable[tuple[int, str]],
        replaced: Iterable[tuple[int, str]] = ()) -> None:
    """Index new rows ``(seq, search_text)``; ``replaced`` are rows whose text was before."""
    rows, replaced = list(rows), list(replaced)
    if conn.dialect.name == "sqlite":
        if replaced:  # external content: the old text must be given to take it out
            conn.exec_driver_sql(f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
                                 "VALUES ('delete', ?, ?)", replaced)
        if rows:
            conn.exec_driver_sql(f"INSERT INTO {FTS}(rowid, search_text) VALUES (?, ?)", rows)
            # A word once in the list stays (a word no longer indexed expands to nothing).
            known = {w for _, t in rows for w in _LEXEME.findall(t)}
            conn.exec_driver_sql(f"INSERT OR IGNORE INTO {FTS_TERMS} (term) VALUES (?)",
                                 [(w,) for w in known])
        return
    _pg_insert(conn, rows)


def _pg_insert(conn: Connection, rows: list[tuple[int, str]]) -> None:
    if not rows:
        return
    # One statement for the batch; the tsvector literal carries our own words and positions.
    conn.exec_driver_sql(
        f"INSERT INTO {PG_TABLE} (seq, document) SELECT s, d::tsvector "
        "FROM unnest(%s::bigint[], %s::text[]) AS t(s, d) "
        "ON CONFLICT (seq) DO UPDATE SET document = excluded.document",
        ([seq for seq, _ in rows], [_pg_document(t) for _, t in rows]))


def _pg_document(search_text: str) -> str:
    return " ".join(f"'{word}':{min(n, PG_MAX_POSITION)}"
                    for n, word in enumerate(lexemes(search_text), start=1))


def clear(conn: Connection) -> None:
    """Empty the index (before a rebuild)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")
        conn.exec_driver_sql(f"DELETE FROM {FTS_TERMS}")
    else:
        conn.execute(text(f"DELETE FROM {PG_TABLE}"))


# -- searching ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Syntax:
    """How one engine writes a query: quotes, phrase joints, prefix mark, and, or."""

    quote: str
    joint: str
    prefix: str
    and_: str
    or_: str

    def compose(self, terms: list[Term], key: bytes | None,
                expanded: dict[Term, list[str]] | None = None) -> str:
        expanded = expanded or {}

        def exact(words: tuple[str, ...]) -> str:
            return "(" + self.joint.join(f"{self.quote}{w}{self.quote}" for w in words) + ")"

        def phrase(term: Term) -> str:
            if term in expanded:  # the prefix as the words it begins, each exact
                heads = expanded[term] or [term.words[-1]]  # none: nothing matches anyway
                return "(" + self.or_.join(exact((*term.words[:-1], w)) for w in heads) + ")"
            parts = [f"{self.quote}{w}{self.quote}" for w in term.words]
            return "(" + self.joint.join(parts) + (self.prefix if term.prefix else "") + ")"

        def one(term: Term) -> str:
            tokens = _blinded(term, key)
            if not tokens:
                return phrase(term)
            blinded = self.and_.join(f"{self.quote}{t}{self.quote}" for t in tokens)
            return f"({phrase(term)}{self.or_}({blinded}))"
        return self.and_.join(one(t) for t in terms)


# FTS5: "a" + "b" is a phrase, a trailing * marks its last word a prefix.
_FTS5 = _Syntax(quote='"', joint=" + ", prefix="*", and_=" AND ", or_=" OR ")
# tsquery: 'a' <-> 'b' is a phrase, :* marks a prefix.
_TSQUERY = _Syntax(quote="'", joint=" <-> ", prefix=":*", and_=" & ", or_=" | ")


def sqlite_match(terms: list[Term], key: bytes | None = None,
                 expanded: dict[Term, list[str]] | None = None) -> str:
    """Return the FTS5 query of ``terms`` (each term required); a prefix term in
    ``expanded`` asks for the words listed instead (those its prefix begins)."""
    return _FTS5.compose(terms, key, expanded or {})


def _expansion(conn: Connection, prefix: str) -> list[str] | None:
    """Return the indexed words that begin with ``prefix``, or None if there are too many
    (FTS5's own prefix query is then as good) or the word list is missing."""
    try:
        found = [r[0] for r in conn.exec_driver_sql(
            f"SELECT term FROM {FTS_TERMS} WHERE term >= ? AND term < ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", MAX_EXPANSION + 1))]
    except OperationalError:  # a store whose list is not created yet: FTS5's own prefix
        return None
    return found if len(found) <= MAX_EXPANSION else None


def pg_query(terms: list[Term], key: bytes | None = None) -> str:
    """Return the tsquery (as text to cast) of ``terms``."""
    return _TSQUERY.compose(terms, key)


def _blinded(term: Term, key: bytes | None) -> list[str]:
    # Content words under a cipher key are whole-word tokens (no prefix, no order).
    if key is None:
        return []
    return [blind(w, key) for word in term.words for w in words(word)]


def searched(conn: Connection, query: str, key: bytes | None = None) -> Search | None:
    """Return how to restrict a list of items to those matching ``query`` (None: no terms)."""
    terms = parse(query)
    if not terms:
        return None
    if conn.dialect.name == "sqlite":
        fts = table(FTS, column("rowid", BigInteger))
        expansions = {t: _expansion(conn, t.words[-1]) for t in terms
                      if t.prefix and len(t.words[-1]) >= EXPANDED_PREFIX}
        return Search(fts, fts.c.rowid, literal_column(FTS).op("MATCH")(
            sqlite_match(terms, key, {t: e for t, e in expansions.items() if e is not None})))
    search = table(PG_TABLE, column("seq", BigInteger), column("document"))
    return Search(search, search.c.seq,
                  search.c.document.op("@@")(cast(pg_query(terms, key), TSQUERY)))


@dataclass(frozen=True)
class Search:
    """The index to join to ``items_view`` (on ``seq``), its seq column and the match."""

    index: Any
    seq: Any
    match: Any
