"""Who performs an action: every event records the actor's user name and role."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    """Roles from DESIGN.md; the value is stored in events."""

    DISTRICT_STAFF = "district_staff"
    SECRETARIAT = "secretariat"
    AGENCY_STAFF = "agency_staff"
    DEPUTY = "deputy"
    ADMIN = "admin"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """A signed-in user (or the system) with the scope their role is limited to."""

    username: str
    role: Role
    district: str | None = None
    agency: str | None = None
    deputy_group: str | None = None

    def stamp(self) -> dict[str, str]:
        """Return the actor fields every event carries."""
        return {"actor": self.username, "role": self.role.value}


SYSTEM = Actor("system", Role.SYSTEM)
