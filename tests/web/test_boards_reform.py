"""Boards across the 1 July 2025 reform: communes and wards now, districts before, and each
former district's series continued by rolling its communes and wards up to it."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from tests.web.conftest import SECRETARIAT, catch_up, log_petition, rendered

SEPTEMBER_2026 = datetime(2026, 9, 15, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def both_eras(app, tracker, clock):
    """Ba Đình: two petitions of session XVI-19; Phường Ba Đình (mostly from Ba Đình):
    one of XVII-03; Phường Hoàn Kiếm (mostly from Hoàn Kiếm): one of XVII-03."""
    log_petition(tracker)
    log_petition(tracker)
    clock.set(SEPTEMBER_2026)
    for unit in ("00004", "00070"):
        log_petition(tracker, SECRETARIAT, district=unit, session="XVII-03",
                     deputy_group="XVII-to-01" if unit == "00004" else "XVII-to-02",
                     meeting_date=date(2026, 9, 10), received_on=date(2026, 9, 11))
    catch_up(app)


def cell_after(body: str, name: str) -> str:
    """The first number in the row whose heading is ``name``."""
    match = re.search(rf">{re.escape(name)}</a></th>\s*<td>([\d.]+)</td>", body)
    assert match, f"no row for {name}"
    return match.group(1)


def test_the_city_board_shows_communes_and_wards_apart_from_the_former_districts(
        client_as, both_eras):
    body = rendered(client_as("deputy").get("/boards"), "Phường Ba Đình", "Ba Đình")

    wards, districts = body.split('<h2 id="wards">')[1].split('<h2 id="districts">')
    assert "Phường Ba Đình" in wards and ">Ba Đình</a>" not in wards
    assert ">Ba Đình</a>" in districts and "Phường" not in districts


def test_the_rollup_adds_a_ward_to_the_district_it_mostly_came_from(client_as, both_eras):
    client = client_as("deputy")

    body = rendered(client.get("/boards/rollup"), "Ba Đình", "Hoàn Kiếm")
    assert cell_after(body, "Ba Đình") == "3"        # 2 before the reform + Phường Ba Đình's 1
    assert cell_after(body, "Hoàn Kiếm") == "1"      # Phường Hoàn Kiếm's
    assert "Phường Ba Đình" not in body.split("<tbody>")[1]
    api = client.get("/api/boards/rollup").get_json()
    assert api["districts"]["ba-dinh"]["raised"] == 3 and "00004" not in api["districts"]
    assert "main predecessor" in api["rule"]
    assert 'class="rule"' in body  # the rule used is shown on the board


def test_a_former_district_board_continues_its_series_after_the_reform(client_as, both_eras):
    body = rendered(client_as("deputy").get("/boards/district/ba-dinh"), "Phường Ba Đình")

    series = body.split('class="rule"')[1]
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>(\d+)</td><td>(\d+)</td>\s*<td>(\d+)</td>',
                      series)
    by_session = {name: (own, wards, together) for name, own, wards, together in rows}
    assert by_session == {"Kỳ họp thứ 19 HĐND Thành phố khóa XVI": ("2", "0", "2"),
                          "Kỳ họp thứ 3 HĐND Thành phố khóa XVII (thường lệ cuối năm 2026)":
                          ("0", "1", "1")}


def test_a_ward_board_names_the_former_district_it_is_rolled_up_to(client_as, both_eras):
    body = rendered(client_as("deputy").get("/boards/district/00004"), "Phường Ba Đình")

    assert 'href="/boards/district/ba-dinh"' in body
    assert "series across" not in body


def test_the_board_api_keeps_its_keys_per_unit(client_as, both_eras):
    boards = client_as("deputy").get("/api/boards/districts").get_json()

    assert boards["ba-dinh"]["raised"] == 2 and boards["00004"]["raised"] == 1
    assert {"raised", "overdue", "on_time_rate", "resolved_rate"} <= set(boards["*"])
