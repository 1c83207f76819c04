"""The instance folder kept private: the folder 0700, its files 0600, created so from the start.

Files are created with their mode in the ``open`` call (never written first and chmod-ed
after, which leaves a window where others can read them). An installation made before this
had 0644 files in a 0755 folder: they are tightened when first used, with a warning that
says so.
"""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("petitions.instance")

FOLDER_MODE = 0o700
FILE_MODE = 0o600
# What the instance folder holds that others must not read (the SQLite files' -wal and -shm
# companions take the database file's mode, so they follow).
PRIVATE_FILES = ("events.sqlite3", "views.sqlite3", "secret_key", "notification_recipients.json")
CLEARTEXT_WARNING = (
    "PETITIONS_CIPHER_KEY is not set: the names, phone numbers and ID numbers of "
    "petitioners and denouncers are stored in clear in the event store. Set it to "
    "encrypt event data at rest (README: Data at rest)."
)


def private_folder(path: Path) -> Path:
    """Create ``path`` with mode 0700 (tightening an existing one), and its files' modes."""
    try:
        path.mkdir(mode=FOLDER_MODE, parents=True)
    except FileExistsError:
        _tighten(path, FOLDER_MODE)
    for name in PRIVATE_FILES:
        for suffix in ("", "-wal", "-shm"):
            candidate = path / (name + suffix)
            if candidate.exists():
                _tighten(candidate, FILE_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create an empty file with mode 0600 if it is missing (SQLite then opens it as is)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        _tighten(path, FILE_MODE)
    return path


def write_private(path: Path, data: str | bytes) -> None:
    """Write a new file that is 0600 from its creation on (refuse to replace one)."""
    raw = data.encode() if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(raw)


def _tighten(path: Path, mode: int) -> None:
    current = stat.S_IMODE(path.stat().st_mode)
    if current & ~mode & 0o077:  # group or others may read, write or enter
        try:
            path.chmod(mode)
        except OSError as exc:  # not our file (e.g. another account's): say so, go on
            log.warning("%s is %s and could not be made %s: %s", path, oct(current),
                        oct(mode), exc.strerror)
            return
        log.warning("tightened %s from %s to %s (only this account may read it)", path,
                    oct(current), oct(mode))
