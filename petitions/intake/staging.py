"""Uploaded spreadsheets between their preview and their import, and what the import did.

The preview and the import are two requests, which several web processes — on several
machines over one PostgreSQL — may answer: nothing is kept on the answering machine's disk.
The file's bytes go to the attachment store the settings name (``PETITIONS_ATTACHMENT_STORE``:
the instance folder, or the database for several hosts), under their SHA-256; who uploaded
it, its name and the import's result go to ``intake_uploads`` in the views database. An
upload is reached only by the user who sent it (the key is the user and the hash).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()

intake_uploads = Table(
    "intake_uploads", metadata,
    Column("owner", String(64), primary_key=True),
    Column("upload", String(64), primary_key=True),   # the file's SHA-256 (its blob's name)
    Column("filename", String(200), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("result_sha", String(64)),                  # the result workbook's blob
    Column("result", Text),                            # what the import did (JSON)
)


def create_staging(engine: Engine) -> None:
    """Create the uploads table (idempotent)."""
    metadata.create_all(engine)


class Staging:
    """One user's uploads: stage a file, read it back, keep and read its import's result."""

    def __init__(self, engine: Engine, blobs: Any) -> None:
        self.engine, self.blobs = engine, blobs

    def stage(self, owner: str, content: bytes, filename: str) -> str:
        """Keep ``content`` for ``owner``; return the upload's name (its SHA-256)."""
        upload = self.blobs.put(content)
        row = {"owner": owner[:64], "upload": upload, "filename": filename[:200],
               "uploaded_at": datetime.now(timezone.utc)}
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(intake_uploads).values(**row))
        except IntegrityError:  # the same file again: a new preview, the same upload
            with self.engine.begin() as conn:
                conn.execute(update(intake_uploads).where(*self._key(owner, upload))
                             .values(filename=row["filename"]))
        return upload

    def get(self, owner: str, upload: str) -> tuple[bytes, str] | None:
        """Return the bytes and name of ``owner``'s upload (None: not theirs, or not kept)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(intake_uploads.c.filename)
                               .where(*self._key(owner, upload))).first()
        if row is None:
            return None
        from petitions.blobstore import BlobNotFound
        try:
            return self.blobs.get(upload), row.filename
        except BlobNotFound:
            return None

    def keep_result(self, owner: str, upload: str, workbook: bytes, done: dict[str, Any]) -> None:
        """Keep what the import of ``upload`` did: the result workbook and its summary."""
        sha = self.blobs.put(workbook)
        with self.engine.begin() as conn:
            conn.execute(update(intake_uploads).where(*self._key(owner, upload)).values(
                result_sha=sha, result=json.dumps(done, ensure_ascii=False)))

    def result(self, owner: str, upload: str) -> tuple[dict[str, Any], bytes] | None:
        """Return the summary and the workbook of the upload's import (None: not imported)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(intake_uploads.c.result, intake_uploads.c.result_sha)
                               .where(*self._key(owner, upload))).first()
        if row is None or row.result is None:
            return None
        return json.loads(row.result), self.blobs.get(row.result_sha)

    @staticmethod
    def _key(owner: str, upload: str) -> list[Any]:
        return [intake_uploads.c.owner == owner[:64], intake_uploads.c.upload == upload]
