"""Settings read once from ``PETITIONS_*`` environment variables, with safe embedded defaults."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

PREFIX = "PETITIONS_"
LANGUAGES = ("vi", "en")
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "on"})
FALSE_WORDS = frozenset({"", "0", "n", "no", "false", "off"})
POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
SECRET_FIELDS = {"secret_key", "smtp_password", "cipher_key", "database_url", "redis_url"}


class SettingsError(ValueError):
    """Settings that cannot work; ``problems`` holds one line per variable."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _is_aes_key(text: str) -> bool:
    import binascii
    from base64 import b64decode

    try:
        return len(b64decode(text.encode("utf-8"), validate=True)) in (16, 24, 32)
    except (binascii.Error, ValueError):
        return False


@dataclass(frozen=True)
class Settings:
    """Effective configuration of one process."""

    instance_path: str = "instance"
    database_url: str = ""          # empty: SQLite files in the instance folder
    database_schema: str = ""       # PostgreSQL schema for both event store and views
    secret_key: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str = "vi"
    base_url: str = "http://127.0.0.1:5000"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "kien-nghi@hanoi.invalid"
    smtp_starttls: bool = False
    cipher_key: str = ""            # set to encrypt event data at rest (AES-GCM)
    scan_minutes: int = 5           # escalation scan interval
    session_idle_minutes: int = 30  # a session ends after this long without a request
    redis_url: str = ""             # redis://host:6379/0 to share the sign-in limit there
    trusted_proxies: int = 0        # reverse proxies in front of the app (X-Forwarded-For)
    attachment_max_mb: int = 20     # largest attached file (a scanned letter is a few MB)
    attachment_store: str = "files"  # "files" in the instance folder, or "database"
    # Tests only: let webhooks reach loopback/private addresses (a local test server).
    webhooks_allow_private: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise SettingsError(problems)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read ``PETITIONS_*`` variables over the defaults, then apply ``overrides``.

        Raises ``SettingsError`` naming every variable that cannot work, one line each.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            if f.name == "extra":
                continue
            name = PREFIX + f.name.upper()
            raw = environ.get(name)
            if raw is None:
                continue
            if f.type == "int":
                try:
                    values[f.name] = int(raw.strip())
                except ValueError:
                    problems.append(f"{name} must be a whole number, not {raw!r}.")
            elif f.type == "bool":
                word = raw.strip().lower()
                if word not in TRUE_WORDS | FALSE_WORDS:
                    problems.append(f"{name} must be yes or no (1/0, true/false), "
                                    f"not {raw!r}.")
                values[f.name] = word in TRUE_WORDS
            else:
                values[f.name] = raw
        values.update(overrides)
        if problems:  # report the unreadable ones with whatever else is wrong
            defaults = {f.name: getattr(cls, f.name) for f in fields(cls) if f.name != "extra"}
            checked = {k: v for k, v in values.items()
                       if isinstance(v, type(defaults.get(k, v)))}
            problems += cls._problems_of({**defaults, **checked})
            raise SettingsError(problems)
        return cls(**values)

    def problems(self) -> list[str]:
        """Return one line per setting that cannot work (empty when all is well)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return self._problems_of(values) + self.sign_in_problems() + self.attachment_problems()

    @staticmethod
    def _problems_of(values: dict[str, Any]) -> list[str]:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        problems: list[str] = []

        def refuse(field_name: str, why: str) -> None:
            problems.append(f"{PREFIX}{field_name.upper()} {why}")

        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            refuse("timezone", f"is not a known time zone: {values['timezone']!r} "
                               "(for example Asia/Ho_Chi_Minh).")
        if values["language"] not in LANGUAGES:
            refuse("language", f"must be one of {', '.join(LANGUAGES)}, "
                               f"not {values['language']!r}.")
        if not 1 <= values["smtp_port"] <= 65535:
            refuse("smtp_port", f"must be a port number (1-65535), not {values['smtp_port']}.")
        if values["scan_minutes"] < 1:
            refuse("scan_minutes", f"must be at least 1, not {values['scan_minutes']}.")
        base = urlsplit(values["base_url"])
        if base.scheme not in ("http", "https") or not base.netloc:
            refuse("base_url", f"must be an http:// or https:// address, "
                               f"not {values['base_url']!r}.")
        url = values["database_url"]
        if url and not url.startswith(POSTGRES_SCHEMES):
            refuse("database_url", "must be a postgresql:// URL (or empty for SQLite).")
        elif url:
            try:
                urlsplit(url).port
            except ValueError:
                refuse("database_url", "has a port that is not a number.")
        if "@" not in values["smtp_sender"]:
            refuse("smtp_sender", f"must be an email address, not {values['smtp_sender']!r}.")
        if values["cipher_key"] and not _is_aes_key(values["cipher_key"]):
            refuse("cipher_key", "must be 16, 24 or 32 bytes in base64 (make one with: python3 "
                                 "-c 'import secrets,base64; "
                                 "print(base64.b64encode(secrets.token_bytes(32)).decode())').")
        return problems

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed."""
        return replace(self, **changes)

    # -- derived ---------------------------------------------------------------------------
    @property
    def instance(self) -> Path:
        """The instance folder, created private (0700, files 0600) on first use."""
        from petitions.instance import private_folder

        return private_folder(Path(self.instance_path).resolve())

    @property
    def is_postgres(self) -> bool:
        """Tell whether PostgreSQL holds events and views."""
        return self.database_url.startswith(("postgresql", "postgres:"))

    def effective_secret_key(self) -> str:
        """Return the secret key, creating a random one in the instance folder if unset."""
        if self.secret_key:
            return self.secret_key
        from petitions.instance import write_private

        path = self.instance / "secret_key"
        try:
            write_private(path, secrets.token_hex(32))  # 0600 from its creation on
        except FileExistsError:
            pass
        return path.read_text().strip()

    def event_store_env(self) -> dict[str, str]:
        """Return the eventsourcing environment for the configured store."""
        # The repository cache (fast-forwarded from the store on every read, so other
        # processes' writes are seen) spares replaying hot aggregates like the code counter.
        env: dict[str, str] = {
            "CREATE_TABLE": "y", "AGGREGATE_CACHE_MAXSIZE": "1000",
            "AGGREGATE_CACHE_FASTFORWARD": "y",
        }
        if self.is_postgres:
            from projections.store import CONNECT_TIMEOUT_SECONDS

            from petitions.recorders import POSTGRES

            url = urlsplit(self.database_url)
            env.update({
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "APPLICATION_RECORDER_TOPIC": POSTGRES,
                "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
                "POSTGRES_HOST": url.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": unquote(url.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(url.password or ""),
                "POSTGRES_POOL_SIZE": "10",
                "POSTGRES_MAX_OVERFLOW": "20",
                "POSTGRES_LOCK_TIMEOUT": "5",
                # An outage should answer "unavailable" within seconds, not after the
                # library's 30-second default; each pooled connection is checked before use,
                # so the pool recovers by itself when the server is back.
                "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT_SECONDS),  # as the views
                "POSTGRES_PRE_PING": "y",
            })
            if self.database_schema:
                env["POSTGRES_SCHEMA"] = self.database_schema
        else:
            from petitions.instance import private_file
            from petitions.recorders import SQLITE

            env.update({
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "APPLICATION_RECORDER_TOPIC": SQLITE,
                "SQLITE_DBNAME": str(private_file(self.instance / "events.sqlite3")),
                "SQLITE_LOCK_TIMEOUT": "10",
            })
        if self.cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
            env["CIPHER_KEY"] = self.cipher_key
        env.update(self.extra)
        return env

    def views_url(self) -> str:
        """Return the SQLAlchemy URL of the read models."""
        if self.is_postgres:
            url = self.database_url
            for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
                if url.startswith(scheme):
                    return "postgresql+psycopg://" + url[len(scheme):]
            return url
        from petitions.instance import private_file

        return f"sqlite:///{private_file(self.instance / 'views.sqlite3')}"

    def sign_in_problems(self) -> list[str]:
        """Return one line per invalid sign-in setting (idle timeout, Redis, proxies)."""
        problems = []
        if not 5 <= self.session_idle_minutes <= 600:
            problems.append("PETITIONS_SESSION_IDLE_MINUTES must be between 5 and 600 "
                            "(minutes; sessions end after 10 hours anyway), "
                            f"not {self.session_idle_minutes}.")
        if self.redis_url and urlsplit(self.redis_url).scheme not in ("redis", "rediss", "unix"):
            problems.append("PETITIONS_REDIS_URL must start with redis://, rediss:// or unix://.")
        if not 0 <= self.trusted_proxies <= 5:
            problems.append("PETITIONS_TRUSTED_PROXIES must be a number of proxies from 0 to 5, "
                            f"not {self.trusted_proxies}.")
        return problems

    def attachment_problems(self) -> list[str]:
        """Return one line per invalid attachment setting (size limit, store)."""
        problems = []
        if not 1 <= self.attachment_max_mb <= 100:
            problems.append("PETITIONS_ATTACHMENT_MAX_MB must be between 1 and 100 (megabytes), "
                            f"not {self.attachment_max_mb}.")
        if self.attachment_store not in ("files", "database"):
            problems.append("PETITIONS_ATTACHMENT_STORE must be files (the instance folder) or "
                            f"database (PostgreSQL or the views database), "
                            f"not {self.attachment_store!r}.")
        return problems

    def masked(self) -> dict[str, Any]:
        """Return every setting, with secrets masked, for ``petitions config``."""
        shown = asdict(self)
        shown.pop("extra")
        for name in SECRET_FIELDS:
            value = shown.get(name)
            if value and name in ("database_url", "redis_url"):
                url = urlsplit(value)
                if url.password:
                    shown[name] = value.replace(f":{url.password}@", ":****@")
            elif value:
                shown[name] = "****"
        return shown
