"""Who may do what to which item: role and scope (district, agency) checks.

The roles of every action on an item come from its type's lifecycle table
(``domain.item_types``); creating an item uses the type's ``create_roles``. Only the
actions that concern no single item type are listed here.
"""
from __future__ import annotations

from typing import Any

from domain.actor import Actor, Role
from domain.errors import PermissionDenied
from domain.item_types import REGISTRY, type_of

# action -> roles allowed, for actions outside the item lifecycles; scoped roles are
# further limited by ``in_scope``.
RULES: dict[str, frozenset[Role]] = {
    "reference": frozenset({Role.ADMIN, Role.SYSTEM}),
    "view": frozenset({
        Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.AGENCY_STAFF, Role.DEPUTY, Role.ADMIN,
        Role.SYSTEM,
    }),
}
# Creating an item ("log") is the type's own rule (``ItemType.create_roles``).
CREATE = "log"


def roles_for(action: str, item: Any = None, item_class: type | None = None) -> frozenset[Role]:
    """Return the roles that may take ``action`` (on ``item``, or on items of ``item_class``)."""
    if action in RULES:
        return RULES[action]
    if action == CREATE:
        types = [type_of(item_class)] if item_class is not None else list(REGISTRY)
        return frozenset().union(*(t.create_roles for t in types))
    if item is not None:
        declared = type_of(item)
        return declared.transition(action).roles if declared.has_action(action) else frozenset()
    return REGISTRY.roles_for(action, item_class)


def phrase(action: str, item: Any = None, item_class: type | None = None) -> str:
    """Return the verb phrase of ``action`` for refusals ("accept the answer of")."""
    for declared in ([type_of(item)] if item is not None else list(REGISTRY)):
        if declared.has_action(action) and (
                item_class is None or issubclass(declared.aggregate, item_class)):
            return declared.transition(action).phrase
    return action


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


def may(actor: Actor, action: str, item: Any = None, item_class: type | None = None) -> bool:
    """Tell whether the actor's role allows ``action`` (scope aside)."""
    return actor.role in roles_for(action, item, item_class)


def require(actor: Actor, action: str, item: Any = None, *,
            item_class: type | None = None) -> None:
    """Refuse with PermissionDenied unless the actor's role and scope allow ``action``."""
    if not may(actor, action, item, item_class):
        raise PermissionDenied(action=phrase(action, item, item_class))
    if item is not None and not in_scope(actor, item.district, item.agency):
        raise PermissionDenied(action=phrase(action, item, item_class))


def can_view(actor: Actor, district: str | None, agency: str | None) -> bool:
    """Tell whether the actor may see an item at all."""
    return actor.role in RULES["view"] and in_scope(actor, district, agency)
