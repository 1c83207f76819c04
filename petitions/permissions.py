"""Who may do what to which item: role and scope (district, agency) checks."""
from __future__ import annotations

from typing import Any

from domain.actor import Actor, Role
from domain.errors import PermissionDenied

# action -> roles allowed; scoped roles are further limited by ``in_scope``.
RULES: dict[str, frozenset[Role]] = {
    "log": frozenset({Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    "classify": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "merge": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "assign": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "review": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "extend": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "park": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "close": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "withdraw": frozenset({Role.SECRETARIAT, Role.DISTRICT_STAFF, Role.ADMIN}),
    "progress": frozenset({Role.AGENCY_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    "answer": frozenset({Role.AGENCY_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    "decide": frozenset({Role.AGENCY_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    "escalate": frozenset({Role.SYSTEM}),
    "reference": frozenset({Role.ADMIN, Role.SYSTEM}),
    "view": frozenset({
        Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.AGENCY_STAFF, Role.DEPUTY, Role.ADMIN,
        Role.SYSTEM,
    }),
}


def in_scope(actor: Actor, district: str | None, agency: str | None) -> bool:
    """Tell whether an item of ``district`` assigned to ``agency`` is within the actor's scope."""
    if actor.role is Role.DISTRICT_STAFF:
        return district is not None and district == actor.district
    if actor.role is Role.AGENCY_STAFF:
        return agency is not None and agency == actor.agency
    return True


def handles(actor: Actor, district: str | None, agency: str | None, kind: str = "") -> bool:
    """Tell whether the actor handles the item and may therefore see personal data.

    A denouncer's identity is protected by law (Luật Tố cáo 2018, art. 47): the agency
    resolving a denunciation may be the one denounced, so only the council office and the
    district that received it see who denounced.
    """
    if actor.role in (Role.SECRETARIAT, Role.ADMIN, Role.SYSTEM):
        return True
    if kind == "denunciation" and actor.role is Role.AGENCY_STAFF:
        return False
    if actor.role in (Role.DISTRICT_STAFF, Role.AGENCY_STAFF):
        return in_scope(actor, district, agency)
    return False


def require(actor: Actor, action: str, item: Any = None) -> None:
    """Refuse with PermissionDenied unless the actor's role and scope allow ``action``."""
    if actor.role not in RULES[action]:
        raise PermissionDenied(action=action)
    if item is not None and not in_scope(actor, item.district, item.agency):
        raise PermissionDenied(action=action)


def can_view(actor: Actor, district: str | None, agency: str | None) -> bool:
    """Tell whether the actor may see an item at all."""
    return actor.role in RULES["view"] and in_scope(actor, district, agency)
