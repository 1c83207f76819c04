"""Who may see or do what: the named capabilities and scopes the web asks ``permissions``."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.actor import SYSTEM, Actor, Role
from domain.item_types import REGISTRY
from petitions import permissions
from petitions.permissions import NOWHERE, Scope

DISTRICT = Actor("can.bo.ba.dinh", Role.DISTRICT_STAFF, district="ba-dinh")
AGENCY = Actor("so.xay.dung", Role.AGENCY_STAFF, agency="so-xay-dung")
SECRETARIAT = Actor("thu.ky", Role.SECRETARIAT)
DEPUTY = Actor("dai.bieu", Role.DEPUTY, deputy_group="to-01")
ADMIN = Actor("admin", Role.ADMIN)
ACTORS = {Role.DISTRICT_STAFF: DISTRICT, Role.AGENCY_STAFF: AGENCY, Role.SECRETARIAT: SECRETARIAT,
          Role.DEPUTY: DEPUTY, Role.ADMIN: ADMIN, Role.SYSTEM: SYSTEM}
CITY = {Role.SECRETARIAT, Role.DEPUTY, Role.ADMIN}

# The role-level answer of each capability the pages ask (tests/web/test_routes.py pins
# the same answers route by route).
EXPECTED: list[tuple[Callable[[Actor], bool], set[Role]]] = [
    (permissions.may_log, {Role.DISTRICT_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    (permissions.may_work_office_queue, {Role.SECRETARIAT, Role.ADMIN}),
    (permissions.may_work_agency_queue, {Role.AGENCY_STAFF, Role.SECRETARIAT, Role.ADMIN}),
    (permissions.may_see_city_boards, CITY),
    (permissions.may_see_boards, CITY | {Role.DISTRICT_STAFF, Role.AGENCY_STAFF}),
    (permissions.may_see_district_boards, CITY | {Role.DISTRICT_STAFF}),
    (permissions.may_see_agency_boards, CITY | {Role.AGENCY_STAFF}),
    (permissions.may_download_digests, CITY | {Role.DISTRICT_STAFF}),
    (permissions.may_follow, {Role.DEPUTY}),
    (permissions.may_manage_users, {Role.ADMIN}),
    (permissions.may_manage_outbox, {Role.ADMIN}),
]
CASES = [pytest.param(check, role, role in allowed, id=f"{check.__name__}-{role.value}")
         for check, allowed in EXPECTED for role in Role]


@pytest.mark.parametrize(("check", "role", "expected"), CASES)
def test_each_capability_answers_each_role_as_before(
        check: Callable[[Actor], bool], role: Role, expected: bool) -> None:
    assert check(ACTORS[role]) is expected


# -- scope ------------------------------------------------------------------------------------
def test_district_staff_lists_are_narrowed_to_their_district() -> None:
    assert permissions.scope_filter(DISTRICT) == Scope("district", "ba-dinh")


def test_agency_staff_lists_are_narrowed_to_their_agency() -> None:
    assert permissions.scope_filter(AGENCY) == Scope("agency", "so-xay-dung")


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DEPUTY, Role.ADMIN, Role.SYSTEM])
def test_the_city_roles_lists_are_not_narrowed(role: Role) -> None:
    assert permissions.scope_filter(ACTORS[role]).city_wide


def test_a_scoped_list_filter_forces_the_actors_own_district() -> None:
    assert permissions.scope_filter(DISTRICT).filter() == {"district": "ba-dinh"}


def test_a_city_wide_list_filter_forces_nothing() -> None:
    assert permissions.scope_filter(SECRETARIAT).filter() == {}


def test_a_scoped_account_without_its_own_district_lists_nothing_rather_than_everything() -> None:
    lost = Actor("lost", Role.DISTRICT_STAFF)

    assert permissions.scope_filter(lost).filter() == {"district": NOWHERE}


def test_a_scope_narrows_only_by_its_own_field() -> None:
    scope = permissions.scope_filter(AGENCY)

    assert (scope.narrows("agency"), scope.narrows("district")) == (True, False)


def test_an_item_of_another_district_is_outside_district_staff_scope() -> None:
    assert not permissions.in_scope(DISTRICT, "hoan-kiem", "so-xay-dung")


def test_an_item_not_yet_assigned_is_outside_agency_staff_scope() -> None:
    assert not permissions.in_scope(AGENCY, "ba-dinh", None)


# -- logging follows the item types' declarations ----------------------------------------------
@pytest.mark.parametrize("item_type", [t.name for t in REGISTRY])
@pytest.mark.parametrize("role", list(Role))
def test_who_may_log_an_item_type_is_its_declared_create_roles(item_type: str, role: Role) -> None:
    declared = role in REGISTRY.get(item_type).create_roles

    assert permissions.may_log(ACTORS[role], item_type) is declared


def test_deputies_may_not_log_petitions() -> None:
    assert not permissions.may_log(DEPUTY, "petition")


@pytest.mark.parametrize("action", permissions.OFFICE_QUEUE_ACTIONS
                         + permissions.AGENCY_QUEUE_ACTIONS)
def test_each_queue_action_is_an_action_of_some_item_type(action: str) -> None:
    # A renamed action would otherwise empty a queue's roles without any error.
    assert any(t.has_action(action) for t in REGISTRY)


# -- boards -----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(CITY))
def test_the_city_roles_see_any_districts_board(role: Role) -> None:
    assert permissions.may_see_district_board(ACTORS[role], "hoan-kiem")


def test_district_staff_see_their_own_districts_board() -> None:
    assert permissions.may_see_district_board(DISTRICT, "ba-dinh")


def test_district_staff_do_not_see_another_districts_board() -> None:
    assert not permissions.may_see_district_board(DISTRICT, "hoan-kiem")


def test_agency_staff_see_no_district_board() -> None:
    assert not permissions.may_see_district_board(AGENCY, "ba-dinh")


def test_agency_staff_see_their_own_agencys_board() -> None:
    assert permissions.may_see_agency_board(AGENCY, "so-xay-dung")


def test_agency_staff_do_not_see_another_agencys_board() -> None:
    assert not permissions.may_see_agency_board(AGENCY, "so-giao-thong-van-tai")


def test_district_staff_see_no_agency_board() -> None:
    assert not permissions.may_see_agency_board(DISTRICT, "so-xay-dung")


@pytest.mark.parametrize("role", sorted(CITY))
def test_the_city_roles_see_any_agencys_board(role: Role) -> None:
    assert permissions.may_see_agency_board(ACTORS[role], "so-giao-thong-van-tai")


# -- digests ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("district", "group"), [("", ""), ("hoan-kiem", ""), ("", "to-02")])
@pytest.mark.parametrize("role", sorted(CITY))
def test_the_city_roles_print_any_digest(role: Role, district: str, group: str) -> None:
    assert permissions.may_download_digest(ACTORS[role], district, group)


def test_district_staff_print_their_own_districts_digest() -> None:
    assert permissions.may_download_digest(DISTRICT, "ba-dinh")


def test_district_staff_do_not_print_another_districts_digest() -> None:
    assert not permissions.may_download_digest(DISTRICT, "hoan-kiem")


def test_district_staff_do_not_print_the_whole_citys_digest() -> None:
    assert not permissions.may_download_digest(DISTRICT, "")


def test_district_staff_do_not_print_a_deputy_groups_digest() -> None:
    assert not permissions.may_download_digest(DISTRICT, "ba-dinh", "to-01")


def test_agency_staff_print_no_digest() -> None:
    assert not permissions.may_download_digest(AGENCY, "", "")


# -- the templates' helper --------------------------------------------------------------------
def test_a_named_capability_passes_its_arguments_on() -> None:
    assert (permissions.can(DISTRICT, "see_district_board", "ba-dinh"),
            permissions.can(DISTRICT, "see_district_board", "hoan-kiem")) == (True, False)


def test_a_visitor_has_no_capability() -> None:
    assert not permissions.can(None, "see_boards")


def test_an_unknown_capability_name_is_refused() -> None:
    with pytest.raises(KeyError):
        permissions.can(ADMIN, "see_everything")


def test_every_named_capability_is_a_permissions_function() -> None:
    assert all(getattr(permissions, check.__name__) is check
               for check in permissions.CAPABILITIES.values())
