"""Where attached files' bytes live, addressed by their SHA-256 (the events hold only the hash).

One small interface, two stores: files in the instance folder (the embedded default) and a
table of the database (bytea on PostgreSQL, a BLOB on SQLite) for production, where several
web hosts share one database and no disk. The same bytes are kept once whoever attaches them.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Protocol

from sqlalchemy import BigInteger, Column, LargeBinary, MetaData, String, Table, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

SHA256 = re.compile(r"^[0-9a-f]{64}$")

blob_metadata = MetaData()
attachment_blobs = Table(
    "attachment_blobs", blob_metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
)


class BlobNotFound(KeyError):
    """No stored file has this hash."""


class BlobStore(Protocol):
    """Keep bytes under their SHA-256 and give them back."""

    def put(self, data: bytes) -> str: ...
    def get(self, sha256: str) -> bytes: ...
    def has(self, sha256: str) -> bool: ...


def digest(data: bytes) -> str:
    """Return the hex SHA-256 of ``data`` (the address of the bytes)."""
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA256.match(sha256):
        raise BlobNotFound(sha256)
    return sha256


class FileBlobStore:
    """Files under ``<instance>/attachments/ab/abcdef…`` (0600, written whole or not at all)."""

    def __init__(self, root: Path) -> None:
        # Created with the first file, so an instance without attachments has no folder.
        self.root = Path(root)

    def _path(self, sha256: str) -> Path:
        sha256 = _checked(sha256)
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` once; return its hash."""
        sha256 = digest(data)
        path = self._path(sha256)
        if path.exists():
            return sha256
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        temporary = path.with_name(f".{sha256}.{os.getpid()}.part")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)  # a reader sees the whole file or none
        return sha256

    def files(self) -> dict[str, Path]:
        """Return every stored file by its hash (a write in progress, ``.….part``, aside)."""
        if not self.root.is_dir():
            return {}
        return {path.name: path for path in sorted(self.root.glob("??/*"))
                if SHA256.match(path.name) and path.parent.name == path.name[:2]
                and path.is_file()}

    def get(self, sha256: str) -> bytes:
        """Return the bytes stored under ``sha256``."""
        try:
            return self._path(sha256).read_bytes()
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    def has(self, sha256: str) -> bool:
        """Tell whether bytes are stored under ``sha256``."""
        try:
            return self._path(sha256).exists()
        except BlobNotFound:
            return False


class DatabaseBlobStore:
    """Rows of ``attachment_blobs`` in the views database (bytea on PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        blob_metadata.create_all(engine)

    def put(self, data: bytes) -> str:
        """Store ``data`` once; return its hash (a concurrent equal insert is the same file)."""
        sha256 = digest(data)
        if self.has(sha256):
            return sha256
        try:
            with self.engine.begin() as conn:
                conn.execute(attachment_blobs.insert().values(
                    sha256=sha256, size=len(data), data=data))
        except IntegrityError:
            pass  # another process stored the same bytes first
        return sha256

    def get(self, sha256: str) -> bytes:
        """Return the bytes stored under ``sha256``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(attachment_blobs.c.data)
                               .where(attachment_blobs.c.sha256 == _checked(sha256))).first()
        if row is None:
            raise BlobNotFound(sha256)
        return bytes(row.data)

    def has(self, sha256: str) -> bool:
        """Tell whether bytes are stored under ``sha256``."""
        try:
            sha256 = _checked(sha256)
        except BlobNotFound:
            return False
        with self.engine.connect() as conn:
            return conn.execute(select(attachment_blobs.c.sha256)
                                .where(attachment_blobs.c.sha256 == sha256)).first() is not None


def file_store(settings: object) -> FileBlobStore | None:
    """Return the instance folder's store, or None when files are kept in the database."""
    if getattr(settings, "attachment_store", "files") == "database":
        return None
    return FileBlobStore(settings.instance / "attachments")  # type: ignore[attr-defined]


def blob_store(settings: object, engine: Engine) -> BlobStore:
    """Return the store the settings name (``PETITIONS_ATTACHMENT_STORE``)."""
    return file_store(settings) or DatabaseBlobStore(engine)
