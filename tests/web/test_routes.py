"""Every route × every role: allowed, or refused with 403 (role) / 404 (outside scope)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import FixedClock
from tests.web.conftest import log_petition, make_app, sign_in

ROLES = ("anon", "district_staff", "other_district", "secretariat", "agency_staff", "deputy",
         "admin")
SIGNED_IN = ROLES[1:]
LOGGERS = ("district_staff", "other_district", "secretariat", "admin")
CITY = ("secretariat", "deputy", "admin")


def expect(default: int, anon: int = 302, **special: int) -> dict[str, int]:
    """Expected status per role: ``default`` for signed-in roles unless listed."""
    table = {role: default for role in SIGNED_IN}
    table["anon"] = anon
    table.update(special)
    return table


def only(allowed: tuple[str, ...], ok: int, denied: int = 403, anon: int = 302,
         **special: int) -> dict[str, int]:
    """Expected status: ``ok`` for ``allowed`` roles, ``denied`` for the others."""
    table = {role: ok if role in allowed else denied for role in SIGNED_IN}
    table["anon"] = anon
    table.update(special)
    return table


# (method, path, expected status per role); {p} is a Ba Đình petition nobody was assigned.
ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("GET", "/", expect(302)),
    ("GET", "/login", expect(200, anon=200)),
    ("GET", "/petitions/new", only(LOGGERS, 200)),
    ("POST", "/petitions/new", only(LOGGERS, 422)),
    ("GET", "/complaints/new", only(LOGGERS, 200)),
    ("POST", "/complaints/new", only(LOGGERS, 422)),
    ("GET", "/items", expect(200)),
    ("GET", "/items?q=kim+ma&overdue=no", expect(200)),
    ("GET", "/items/export.csv", expect(200)),
    ("GET", "/items/{p}", expect(200, other_district=404, agency_staff=404)),
    ("POST", "/items/{p}/do/assign", only(("secretariat", "admin"), 422)),
    ("POST", "/items/{p}/do/classify", only(("secretariat", "admin"), 422)),
    ("POST", "/items/{p}/do/merge", only(("secretariat", "admin"), 422)),
    ("POST", "/items/{p}/do/progress",
     only(("secretariat", "admin", "agency_staff"), 422, agency_staff=404)),
    # Allowed roles, but a logged petition has no answer yet: 400 (refused by the rules).
    ("POST", "/items/{p}/do/answer",
     only(("secretariat", "admin", "agency_staff"), 400, agency_staff=404)),
    ("POST", "/items/{p}/do/accept_answer", only(("secretariat", "admin"), 400)),
    ("POST", "/items/{p}/do/withdraw",
     only(("district_staff", "other_district", "secretariat", "admin"), 422,
          other_district=404)),
    ("POST", "/items/{p}/do/no-such-action", expect(404)),
    ("POST", "/items/{p}/follow", only(("deputy",), 303)),
    ("POST", "/items/{p}/unfollow", only(("deputy",), 303)),
    ("GET", "/items/following", only(("deputy",), 200)),
    ("GET", "/queues/secretariat", only(("secretariat", "admin"), 200)),
    ("GET", "/queues/agency", only(("agency_staff", "secretariat", "admin"), 200)),
    ("GET", "/boards", only(CITY, 200, district_staff=302, other_district=302,
                            agency_staff=302)),
    ("GET", "/boards/district/ba-dinh", only(CITY + ("district_staff",), 200,
                                             other_district=404)),
    ("GET", "/boards/rollup", only(CITY, 200)),
    ("GET", "/boards/agencies", only(CITY, 200)),
    ("GET", "/boards/agency/so-xay-dung", only(CITY + ("agency_staff",), 200)),
    ("GET", "/boards/session/XVI-19", only(CITY, 200)),
    ("GET", "/api/items", expect(200, anon=401)),
    ("GET", "/api/items/{p}", expect(200, anon=401, other_district=404, agency_staff=404)),
    ("GET", "/api/items/{p}/history",
     expect(200, anon=401, other_district=404, agency_staff=404)),
    ("GET", "/admin/users", only(("admin",), 200)),
    ("POST", "/admin/users", only(("admin",), 422)),
    ("GET", "/admin/users/dai.bieu", only(("admin",), 200)),
    ("GET", "/admin/users/nobody", only(("admin",), 404)),
    ("POST", "/admin/users/dai.bieu/role", only(("admin",), 422)),
    ("POST", "/admin/users/nobody/deactivate", only(("admin",), 404)),
    ("POST", "/admin/users/nobody/reactivate", only(("admin",), 404)),
    ("POST", "/admin/users/nobody/password-reset", only(("admin",), 404)),
    ("POST", "/admin/users/nobody/two-factor-reset", only(("admin",), 404)),
    ("GET", "/account", expect(200)),
    # Already enrolled (the roles that require it): back home; the others may enrol.
    ("GET", "/account/two-factor", expect(200, secretariat=302, admin=302)),
    ("GET", "/login/code", expect(302, anon=302)),
    ("GET", "/login/enrol", expect(302, anon=302)),
    ("GET", "/password/reset/not-a-token", expect(404, anon=404)),
    ("GET", "/admin/outbox", only(("admin",), 200)),
    ("POST", "/admin/outbox/retry", only(("admin",), 303)),
    ("GET", "/api/boards/districts", only(CITY, 200, anon=401)),
    ("GET", "/api/boards/rollup", only(CITY, 200, anon=401)),
    ("GET", "/api/boards/district/ba-dinh", only(CITY + ("district_staff",), 200, anon=401,
                                                 other_district=404)),
    ("GET", "/reports/stock", only(CITY + ("district_staff", "other_district"), 200)),
    ("GET", "/reports/stock?district=ba-dinh", only(CITY + ("district_staff",), 200)),
    ("GET", "/api/boards/districts?as_of=2025-13-01", only(CITY, 422, anon=401)),
    ("GET", "/handover", only(("secretariat", "admin"), 200)),
    # An empty form names the unit to hand over from (422); nothing is stored.
    ("POST", "/handover/preview", only(("secretariat", "admin"), 422)),
    ("POST", "/handover/confirm", only(("secretariat", "admin"), 422)),
    ("POST", "/language", expect(303, anon=303)),
    ("POST", "/logout", expect(302)),
]
CASES = [pytest.param(method, path, role, table[role], id=f"{method} {path} as {role}")
         for method, path, table in ROUTES for role in ROLES]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """One app for the whole table (the requests below change nothing that matters)."""
    from datetime import datetime, timezone

    clock = FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    app = make_app(Path(tmp_path_factory.mktemp("routes")), clock)
    code = log_petition(app.extensions["petitions"].tracker)
    yield app, code
    app.extensions["petitions"].close()


@pytest.mark.parametrize(("method", "path", "role", "status"), CASES)
def test_each_role_gets_the_expected_answer_from_each_route(
    shared: tuple[Flask, str], method: str, path: str, role: str, status: int,
) -> None:
    app, code = shared
    client = sign_in(app.test_client(), None if role == "anon" else role)
    data: dict[str, Any] = {"lang": "vi"} if path == "/language" else {}

    response = client.open(path.format(p=code), method=method, data=data)

    assert response.status_code == status
