"""Handing over the open items of an abolished district, on SQLite and PostgreSQL.

A bulk hand-over moves every open item of the district exactly once, with an event in each
item's history; the boards and the digest count the items where they are now, and their
city-wide totals do not change.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from domain.handover import HandoverError
from petitions.lineage import Lineage
from petitions.reference import parse_lineage
from petitions.runtime import Runtime
from projections.counters import ALL
from projections.digest_queries import DigestScope, session_summary
from projections.district_board import district_board
from tests.conftest import DEPUTY, SECRETARIAT
from tests.integration import assigned_petition, log_petition, receive_complaint

# A lineage of the test's own (the shipped one is reference data and may be corrected).
LINEAGE = Lineage.from_entries(parse_lineage("""# test lineage
new_code\tnew_name\told_code\tshare\tmain\told_units\tbasis\tnote
00004\tPhường Ba Đình\tba-dinh\twhole\t1\tQuán Thánh;Trúc Bạch;Cửa Nam (part)\tNQ 1656 Điều 1 khoản 1\t
00008\tPhường Ngọc Hà\tba-dinh\tpart\t1\tNgọc Hà;Đội Cấn (part)\tNQ 1656 Điều 1 khoản 2\t
00070\tPhường Hoàn Kiếm\thoan-kiem\twhole\t1\tHàng Trống;Hàng Bạc\tNQ 1656 Điều 1 khoản 3\t
00070\tPhường Hoàn Kiếm\tba-dinh\tpart\t0\tPhúc Xá (part)\tNQ 1656 Điều 1 khoản 3\t
"""))
AFTER_REFORM = datetime(2025, 7, 10, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def runtime(settings, clock):
    rt = Runtime(settings, clock=clock)
    rt.tracker.load_reference()  # with the 126 communes and wards from 1 July 2025
    yield rt
    rt.close()


def items_before_the_reform(runtime):
    """Ba Đình: 3 open items and 1 closed one; Hoàn Kiếm: 1 open item."""
    app = runtime.tracker
    open_codes = [log_petition(app).code, assigned_petition(app).code,
                  receive_complaint(app).code]
    closed = log_petition(app, title="Đã xong").code
    app.close_item(SECRETARIAT, closed, reason="Đã giải quyết.")
    other = log_petition(app, district="hoan-kiem", deputy_group="to-02").code
    runtime.wait_for(app.position())
    return open_codes, closed, other


def boards(runtime):
    with runtime.views.connect() as conn:
        board = district_board(conn, ALL, today=runtime.tracker.today())
        digest = session_summary(conn, "XVI-19", DigestScope(), today=runtime.tracker.today())
    return board, digest


def handed_over(runtime, code):
    return [e for e in runtime.tracker.history(SECRETARIAT, code) if e["type"] == "UnitHandedOver"]


def test_a_bulk_hand_over_moves_every_open_item_of_a_district_exactly_once(runtime, clock):
    open_codes, closed, other = items_before_the_reform(runtime)
    clock.set(AFTER_REFORM)
    board_before, digest_before = boards(runtime)  # as of the same day as after
    app = runtime.tracker

    preview = app.plan_hand_over(SECRETARIAT, "ba-dinh", to_unit="00004")
    assert sorted(m.code for m in preview.moves) == sorted(open_codes)
    assert preview.counts() == [("ba-dinh", "00004", 3)]
    assert all(not handed_over(runtime, code) for code in open_codes)  # a preview stores nothing

    done = app.hand_over_bulk(SECRETARIAT, "ba-dinh", to_unit="00004",
                              reason="Sắp xếp ĐVHC theo NQ 1656/NQ-UBTVQH15")
    runtime.wait_for(app.position())

    assert sorted(m.code for m in done.moves) == sorted(open_codes)
    for code in open_codes:
        [event] = handed_over(runtime, code)
        assert (event["facts"]["from_unit"], event["facts"]["to_unit"], event["actor"]) == (
            "ba-dinh", "00004", "thu.ky")
        item = app.get_item(SECRETARIAT, code)
        assert (item["origin_district"], item["district"]) == ("ba-dinh", "00004")
    assert not handed_over(runtime, closed) and not handed_over(runtime, other)
    assert app.get_item(SECRETARIAT, closed)["district"] == "ba-dinh"

    board_after, digest_after = boards(runtime)
    # Only where the items are counted changed: the city's totals are the same.
    assert board_after[ALL] == board_before[ALL]
    assert digest_after.totals == digest_before.totals
    assert board_after["00004"]["raised"] == board_after["00004"]["open"] == 3
    assert board_after["ba-dinh"]["raised"] == board_before["ba-dinh"]["raised"] - 3
    assert board_after["ba-dinh"].get("open", 0) == 0
    assert board_after["hoan-kiem"] == board_before["hoan-kiem"]
    # The session's digest has the two petitions (a đơn belongs to no session).
    assert digest_after.by_district["00004"].raised == 2
    assert (digest_after.by_district["ba-dinh"].raised
            == digest_before.by_district["ba-dinh"].raised - 2)

    again = app.hand_over_bulk(SECRETARIAT, "ba-dinh", to_unit="00004", reason="Lần nữa")
    runtime.wait_for(app.position())
    assert again.moves == [] and boards(runtime)[0] == board_after
    assert all(len(handed_over(runtime, code)) == 1 for code in open_codes)


def test_a_hand_over_by_lineage_sends_each_district_to_its_main_successor(runtime, clock):
    open_codes, _, other = items_before_the_reform(runtime)
    clock.set(AFTER_REFORM)
    app = runtime.tracker

    preview = app.plan_hand_over(SECRETARIAT, by_lineage=True, lineage=LINEAGE)
    # Ba Đình is main predecessor of two wards: the one that took most of its wards wins.
    assert preview.counts() == [("ba-dinh", "00004", 3), ("hoan-kiem", "00070", 1)]

    app.hand_over_bulk(SECRETARIAT, by_lineage=True, lineage=LINEAGE, reason="NQ 1656")
    runtime.wait_for(app.position())
    assert app.get_item(SECRETARIAT, other)["district"] == "00070"
    assert app.plan_hand_over(SECRETARIAT, by_lineage=True, lineage=LINEAGE).moves == []


def test_a_searched_item_is_found_under_its_unit_of_origin_and_its_unit_now(runtime, clock):
    from projections.items import ItemFilter, list_items

    open_codes, closed, _ = items_before_the_reform(runtime)
    clock.set(AFTER_REFORM)
    runtime.tracker.hand_over_bulk(SECRETARIAT, "ba-dinh", to_unit="00004", reason="NQ 1656")
    runtime.wait_for(runtime.tracker.position())

    with runtime.views.connect() as conn:
        now = {r["code"] for r in list_items(conn, ItemFilter(district="00004")).rows}
        origin = {r["code"] for r in list_items(conn, ItemFilter(origin_district="ba-dinh")).rows}
    assert now == set(open_codes)
    assert origin == {*open_codes, closed}


@pytest.mark.parametrize(("from_unit", "to_unit", "field", "words"), [
    ("hoan-kiem", "00004", "from_unit", None),            # the day before: still in force
    ("ba-dinh", "hoan-kiem", "to_unit", "not in force"),  # an abolished unit takes nothing
    ("ba-dinh", "no-such", "to_unit", "Unknown unit"),
    ("no-such", "00004", "from_unit", "Unknown unit"),
])
def test_a_refused_bulk_hand_over_says_why_and_moves_nothing(runtime, clock, from_unit,
                                                             to_unit, field, words):
    open_codes, _, _ = items_before_the_reform(runtime)
    clock.set(datetime(2025, 6, 30, 2, 0, tzinfo=timezone.utc) if words is None else AFTER_REFORM)

    with pytest.raises(HandoverError) as refused:
        runtime.tracker.hand_over_bulk(SECRETARIAT, from_unit, to_unit=to_unit, reason="x")

    assert refused.value.field == field
    assert words is None or words in str(refused.value)
    if words is None:
        assert "still in force" in str(refused.value)
    assert all(not handed_over(runtime, code) for code in open_codes)


def test_only_the_office_hands_over(runtime, clock):
    from domain.errors import PermissionDenied

    open_codes, _, _ = items_before_the_reform(runtime)
    clock.set(AFTER_REFORM)

    with pytest.raises(PermissionDenied):
        runtime.tracker.hand_over_bulk(DEPUTY, "ba-dinh", to_unit="00004", reason="x")
    with pytest.raises(PermissionDenied):
        runtime.tracker.hand_over(DEPUTY, open_codes[0], to_unit="00004", reason="x")


def test_one_item_is_handed_over_from_its_page_command(runtime, clock):
    open_codes, _, _ = items_before_the_reform(runtime)
    clock.set(AFTER_REFORM)

    runtime.tracker.hand_over(SECRETARIAT, open_codes[0], to_unit="00008", reason="NQ 1656")

    item = runtime.tracker.get_item(SECRETARIAT, open_codes[0])
    assert (item["origin_district"], item["district"]) == ("ba-dinh", "00008")
    assert date(2025, 7, 10) == runtime.tracker.today()
