"""Who may see or do what: role and scope (district, agency) checks, for every layer above.

The roles of every action on an item come from its type's lifecycle table
(``domain.item_types``); creating an item uses the type's ``create_roles``. Only the
actions that concern no single item type are listed here. The web asks the named
capabilities below (``may_log``, ``may_see_city_boards``, ``scope_filter`` …), never a role.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from domain.actor import Actor, Role
from domain.errors import PermissionDenied
from domain.item_types import REGISTRY, type_of

# action -> roles allowed, for actions outside the item lifecycles; scoped roles are
# further limited by ``in_scope``.
RULES: dict[str, frozenset[Role]] = {
    "reference": frozenset({Role.ADMIN, Role.SYSTEM}),
    # The council office convenes sessions and keeps their dates, so it may add and change
    # sessions (only sessions); every other section of the reference data is the admin's.
    "reference_sessions": frozenset({Role.ADMIN, Role.SYSTEM, Role.SECRETARIAT}),
    "view": frozenset({
        Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.AGENCY_STAFF, Role.DEPUTY, Role.ADMIN,
        Role.SYSTEM,
    }),
    # The whole city's figures: the council office, deputies, and administrators who
    # support the office. Scoped staff see only their own district's or agency's board.
    "see_city_boards": frozenset({Role.SECRETARIAT, Role.DEPUTY, Role.ADMIN}),
    # PDF digests: the city roles, and district staff for their own district; agencies get
    # their figures from their board, not from the council's digest.
    "download_digest": frozenset({Role.SECRETARIAT, Role.DEPUTY, Role.ADMIN,
                                  Role.DISTRICT_STAFF}),
    # Issuing a numbered report (the register's next number, frozen figures): the council
    # office, and administrators who support it.
    "issue_report": frozenset({Role.SECRETARIAT, Role.ADMIN, Role.SYSTEM}),
    "follow": frozenset({Role.DEPUTY}),
    "manage_users": frozenset({Role.ADMIN}),
    # Two-factor sign-in is required of the roles that see every đơn's personal data and
    # manage accounts (issue 14); others may enrol.
    "sign_in_without_second_factor": frozenset({
        Role.DISTRICT_STAFF, Role.AGENCY_STAFF, Role.DEPUTY}),
    # Issue 18: the answer text shown on the public lookup page is the office's to publish;
    # a receipt with the lookup key is printed by whoever may log the item.
    "publish_answer": frozenset({Role.SECRETARIAT, Role.SYSTEM}),
    "print_receipt": frozenset({Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    # Webhooks and the escalation ladder's recipients are the administrator's.
    "manage_integrations": frozenset({Role.ADMIN}),
    # The escalation email outbox: what failed or was skipped, and sending it again.
    "manage_outbox": frozenset({Role.ADMIN}),
    # The document register (issue 17): the office registers and issues documents (urging
    # letters, transfer slips); those who work on an item attach files to it.
    "register_documents": frozenset({Role.SECRETARIAT, Role.ADMIN}),
    "attach": frozenset({Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.AGENCY_STAFF,
                         Role.ADMIN}),
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


# Scoped roles see one district's or one agency's items (the item field named here).
SCOPED_BY: dict[Role, str] = {Role.DISTRICT_STAFF: "district", Role.AGENCY_STAFF: "agency"}
# What a co-operating agency (phối hợp) may do on an item led by another: see it, and add
# its progress — never answer, decide or send it back, which are the lead agency's.
COOPERATING_ACTIONS = frozenset({"progress"})
# What a scoped account with no district or agency of its own is narrowed to: no item has
# this code, so such an account sees nothing rather than everything.
NOWHERE = "\x00"


@dataclass(frozen=True)
class Scope:
    """What an actor's lists and boards are narrowed to: one district, one agency, or neither."""

    by: str | None = None      # the item field narrowed ("district", "agency"); None: city-wide
    code: str | None = None    # the actor's own district or agency

    @property
    def city_wide(self) -> bool:
        """Tell whether nothing narrows the actor's lists."""
        return self.by is None

    def narrows(self, field: str) -> bool:
        """Tell whether the actor's lists are narrowed by ``field`` ("district", "agency")."""
        return self.by == field

    def filter(self) -> dict[str, str]:
        """Return the list-filter fields forced onto everything the actor lists.

        An agency lists the items it leads and those it co-operates on (``involving``).
        """
        if self.by is None:
            return {}
        return {"involving" if self.by == "agency" else self.by: self.code or NOWHERE}

    def contains(self, district: str | None, agency: str | None,
                 cooperating: Iterable[str] = ()) -> bool:
        """Tell whether an item of ``district`` led by ``agency`` is within the scope.

        ``cooperating`` lists the agencies co-operating on the item: they are in scope too.
        """
        if self.by is None:
            return True
        if self.by == "agency" and self.code is not None and self.code in cooperating:
            return True
        value = district if self.by == "district" else agency
        return value is not None and value == self.code


def scope_filter(actor: Actor) -> Scope:
    """Return the district or agency the actor's lists, boards and digests are narrowed to."""
    by = SCOPED_BY.get(actor.role)
    return Scope(by, getattr(actor, by)) if by else Scope()


def in_scope(actor: Actor, district: str | None, agency: str | None,
             cooperating: Iterable[str] = ()) -> bool:
    """Tell whether an item of ``district`` led by ``agency`` is within the actor's scope."""
    return scope_filter(actor).contains(district, agency, cooperating)


def in_scope_for(actor: Actor, action: str, district: str | None, agency: str | None,
                 cooperating: Iterable[str] = ()) -> bool:
    """Tell whether the actor may take ``action`` on such an item as far as scope goes.

    A co-operating agency's staff may take only the ``COOPERATING_ACTIONS``.
    """
    partners = cooperating if action in COOPERATING_ACTIONS else ()
    return in_scope(actor, district, agency, partners)


def handles(actor: Actor, district: str | None, agency: str | None, kind: str = "") -> bool:
    """Tell whether the actor handles the item and may therefore see personal data.

    A denouncer's identity is protected by law (Luật Tố cáo 2018, art. 47): the agency
    resolving a denunciation may be the one denounced, so only the council office and the
    district that received it see who denounced.
    """
    if actor.role in (Role.SECRETARIAT, Role.ADMIN, Role.SYSTEM):
        return True
    if actor.role is Role.AGENCY_STAFF and kind and \
            kind in REGISTRY.for_kind(kind).sender_hidden_from_agency:
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
    if item is not None and not in_scope_for(actor, action, item.district, item.agency,
                                             item.cooperating_agencies):
        raise PermissionDenied(action=phrase(action, item, item_class))


def can_view(actor: Actor, district: str | None, agency: str | None,
             cooperating: Iterable[str] = ()) -> bool:
    """Tell whether the actor may see an item at all (co-operating agencies may)."""
    return actor.role in RULES["view"] and in_scope(actor, district, agency, cooperating)


# -- capabilities the web asks (pages, menus, boards, digests) ---------------------------------
# The office's queue lists items waiting to be classified, assigned, accepted or reviewed;
# whoever may take one of those actions works it.
OFFICE_QUEUE_ACTIONS = ("classify", "assign", "accept", "accept_answer", "return_answer")
# The agency's queue lists the open items assigned to an agency, for whoever answers them.
AGENCY_QUEUE_ACTIONS = ("answer", "decide")


def may_log(actor: Actor, item_type: str | None = None) -> bool:
    """Tell whether the actor may log items of ``item_type`` ("petition"; None: of any type)."""
    item_class = REGISTRY.get(item_type).aggregate if item_type else None
    return may(actor, CREATE, item_class=item_class)


def may_work_office_queue(actor: Actor) -> bool:
    """Tell whether the actor works the council office's queue."""
    return any(may(actor, action) for action in OFFICE_QUEUE_ACTIONS)


def may_work_agency_queue(actor: Actor) -> bool:
    """Tell whether the actor may see what is assigned to an agency."""
    return any(may(actor, action) for action in AGENCY_QUEUE_ACTIONS)


def may_see_city_boards(actor: Actor) -> bool:
    """Tell whether the actor may see the whole city's boards (every district and agency)."""
    return may(actor, "see_city_boards")


def may_see_boards(actor: Actor) -> bool:
    """Tell whether the actor has some board: the city's, or their own district's or agency's."""
    return may_see_city_boards(actor) or not scope_filter(actor).city_wide


def may_see_district_boards(actor: Actor) -> bool:
    """Tell whether the actor's role may see district boards (which ones: ``…_board``)."""
    return may_see_city_boards(actor) or scope_filter(actor).narrows("district")


def may_see_district_board(actor: Actor, district: str) -> bool:
    """Tell whether the actor may see the board of ``district``."""
    return may_see_district_boards(actor) and scope_filter(actor).contains(district, None)


def may_see_agency_boards(actor: Actor) -> bool:
    """Tell whether the actor's role may see agency boards (which ones: ``…_board``)."""
    return may_see_city_boards(actor) or scope_filter(actor).narrows("agency")


def may_see_agency_board(actor: Actor, agency: str) -> bool:
    """Tell whether the actor may see the board of ``agency``."""
    return may_see_agency_boards(actor) and scope_filter(actor).contains(None, agency)


def may_download_digests(actor: Actor) -> bool:
    """Tell whether the actor's role may print digests (which ones: ``may_download_digest``)."""
    return may(actor, "download_digest")


def may_download_digest(actor: Actor, district: str = "", deputy_group: str = "") -> bool:
    """Tell whether the actor may print the digest of ``district`` or ``deputy_group``.

    Blank both means the whole city. A scoped actor prints their own district's digest and
    nothing wider.
    """
    if not may_download_digests(actor):
        return False
    scope = scope_filter(actor)
    if scope.city_wide:
        return True
    return not deputy_group and scope.contains(district or None, None)


def may_issue_reports(actor: Actor) -> bool:
    """Tell whether the actor issues numbered reports from the register."""
    return may(actor, "issue_report")


def may_follow(actor: Actor) -> bool:
    """Tell whether the actor may follow items (deputies watch how they are resolved)."""
    return may(actor, "follow")


def may_see_commitments(actor: Actor) -> bool:
    """Tell whether the actor sees commitments: the city roles, and an agency its own."""
    return may_see_city_boards(actor) or scope_filter(actor).narrows("agency")


def may_hand_over(actor: Actor) -> bool:
    """Tell whether the actor hands open items of abolished units over to successors."""
    return may(actor, "hand_over")


def may_manage_users(actor: Actor) -> bool:
    """Tell whether the actor may list and create user accounts."""
    return may(actor, "manage_users")


def must_use_second_factor(actor: Actor) -> bool:
    """Tell whether the actor's role signs in only with a second factor (TOTP)."""
    return not may(actor, "sign_in_without_second_factor")


def may_manage_outbox(actor: Actor) -> bool:
    """Tell whether the actor may see the email outbox and send failed emails again."""
    return may(actor, "manage_outbox")


def may_manage_policy(actor: Actor) -> bool:
    """Tell whether the actor may edit the official calendar and the deadline policy."""
    return may(actor, "reference")


def may_administer_reference(actor: Actor, section: str = "") -> bool:
    """Tell whether the actor may change reference data (of ``section``, if named).

    Without a section: whether the actor may change any section (to show the screens).
    """
    if section == "council_sessions" or not section:
        return may(actor, "reference_sessions")
    return may(actor, "reference")


def require_reference(actor: Actor, section: str) -> None:
    """Refuse unless the actor may change reference data of ``section``."""
    if not may_administer_reference(actor, section):
        raise PermissionDenied(action="reference")


def may_register_documents(actor: Actor) -> bool:
    """Tell whether the actor registers documents and issues urging letters and slips."""
    return may(actor, "register_documents")


def may_see_documents(actor: Actor) -> bool:
    """Tell whether the actor may open the document register (narrowed by scope)."""
    return may(actor, "view")


def may_attach(actor: Actor, item: Any) -> bool:
    """Tell whether the actor may attach files to ``item`` (co-operating agencies may too)."""
    return may(actor, "attach") and in_scope_for(
        actor, "progress", item.district, item.agency, item.cooperating_agencies)
def may_print_receipt(actor: Actor) -> bool:
    """Tell whether the actor prints citizens' receipts with a lookup key (issue 18)."""
    return may(actor, "print_receipt")


def may_publish_answer(actor: Actor) -> bool:
    """Tell whether the actor publishes answers on the public lookup page."""
    return may(actor, "publish_answer")


def may_manage_integrations(actor: Actor) -> bool:
    """Tell whether the actor manages webhooks, every API token and the ladder's recipients."""
    return may(actor, "manage_integrations")


# The capabilities by name, for the templates' ``can('log', 'petition')``.
CAPABILITIES: dict[str, Callable[..., bool]] = {
    "log": may_log,
    "work_office_queue": may_work_office_queue,
    "work_agency_queue": may_work_agency_queue,
    "see_boards": may_see_boards,
    "see_city_boards": may_see_city_boards,
    "see_district_board": may_see_district_board,
    "see_agency_board": may_see_agency_board,
    "download_digests": may_download_digests,
    "issue_reports": may_issue_reports,
    "follow": may_follow,
    "manage_users": may_manage_users,
    "manage_outbox": may_manage_outbox,
    "manage_policy": may_manage_policy,
    "hand_over": may_hand_over,
    "see_commitments": may_see_commitments,
    "administer_reference": may_administer_reference,
    "register_documents": may_register_documents,
    "see_documents": may_see_documents,
    "print_receipt": may_print_receipt,
    "publish_answer": may_publish_answer,
    "manage_integrations": may_manage_integrations,
}


def can(actor: Actor | None, capability: str, *args: Any) -> bool:
    """Tell whether the actor has the named capability (a visitor, None, has none)."""
    check = CAPABILITIES[capability]  # an unknown name is a typing slip: KeyError
    return actor is not None and check(actor, *args)
