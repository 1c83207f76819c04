"""3 rõ through the application on real stores: co-operating agencies, sending back, hand-offs."""
from __future__ import annotations

from datetime import date

import pytest

from domain.actor import Actor, Role
from domain.errors import PermissionDenied
from petitions.errors import ItemNotFound
from projections.agency_board import agency_summary
from projections.items import ItemFilter, list_items
from tests.conftest import SECRETARIAT, XAY_DUNG_STAFF
from tests.integration.escalation_helpers import assigned_petition, hanoi, runtime_for

POLICE_STAFF = Actor("ca.tp", Role.AGENCY_STAFF, agency="cong-an-thanh-pho")
TAI_CHINH_STAFF = Actor("so.tai.chinh", Role.AGENCY_STAFF, agency="so-tai-chinh")


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def petition_with_partner(runtime, clock) -> str:
    """A petition led by Xây dựng with Giao thông vận tải co-operating, assigned 3/3/2025."""
    clock.set(hanoi(date(2025, 3, 3)))
    code = assigned_petition(runtime.tracker, date(2025, 4, 2)).code
    runtime.tracker.assign(SECRETARIAT, code, agency="so-xay-dung",
                           cooperating=["cong-an-thanh-pho"], leader_name="Trần Minh",
                           leader_position="Phó Giám đốc")
    return code


def test_a_co_operating_agency_sees_the_item_and_adds_progress_but_cannot_answer(
        runtime, clock):
    code = petition_with_partner(runtime, clock)
    tracker = runtime.tracker

    seen = tracker.get_item(POLICE_STAFF, code)
    tracker.note_progress(POLICE_STAFF, code, text="Sở GTVT đã khảo sát hiện trường.")

    assert (seen["agency"], seen["cooperating"]) == ("so-xay-dung", ["cong-an-thanh-pho"])
    with pytest.raises(PermissionDenied):
        tracker.record_answer(POLICE_STAFF, code, outcome="resolved", text="Đã sửa.")
    with pytest.raises(PermissionDenied):
        tracker.send_back(POLICE_STAFF, code, reason="Không thuộc thẩm quyền.")
    with pytest.raises(ItemNotFound):
        tracker.get_item(TAI_CHINH_STAFF, code)


def test_an_agencys_list_holds_what_it_leads_and_what_it_co_operates_on(runtime, clock):
    code = petition_with_partner(runtime, clock)
    other = assigned_petition(runtime.tracker, date(2025, 4, 2), agency="so-tai-chinh").code
    runtime.projector.catch_up()

    with runtime.views.connect() as conn:
        involving = [r["code"] for r in list_items(
            conn, ItemFilter(involving="cong-an-thanh-pho")).rows]
        led = [r["code"] for r in list_items(conn, ItemFilter(agency="cong-an-thanh-pho")).rows]

    assert (involving, led, other in involving) == ([code], [], False)


def test_sending_back_hands_the_item_to_the_office_and_the_board_counts_the_days_held(
        runtime, clock):
    code = petition_with_partner(runtime, clock)
    tracker = runtime.tracker
    clock.set(hanoi(date(2025, 3, 10)))  # five working days later

    tracker.send_back(XAY_DUNG_STAFF, code, reason="Thuộc thẩm quyền Sở Giao thông vận tải.")
    clock.set(hanoi(date(2025, 3, 11)))
    tracker.assign(SECRETARIAT, code, agency="cong-an-thanh-pho",
                   cooperating=["so-xay-dung"])
    runtime.projector.catch_up()

    spells = [(s["holder"], s["since"], s["until"], s["working_days"])
              for s in tracker.hand_offs(SECRETARIAT, code)]
    with runtime.views.connect() as conn:
        board = agency_summary(conn, "so-xay-dung", today=date(2025, 3, 11))
    assert spells == [
        ("office", date(2025, 3, 3), date(2025, 3, 3), 0),
        ("so-xay-dung", date(2025, 3, 3), date(2025, 3, 10), 5),
        ("office", date(2025, 3, 10), date(2025, 3, 11), 1),
        ("cong-an-thanh-pho", date(2025, 3, 11), None, 0),
    ]
    assert (board["hand_offs"], board["held_days"], board["average_held_days"]) == (1, 5, 5.0)
    assert tracker.get_item(XAY_DUNG_STAFF, code)["cooperating"] == ["so-xay-dung"]


def test_an_item_sent_back_waits_in_the_office_queue_due_within_five_working_days(
        runtime, clock):
    code = petition_with_partner(runtime, clock)

    runtime.tracker.send_back(XAY_DUNG_STAFF, code, reason="Không thuộc thẩm quyền.")
    runtime.projector.catch_up()

    with runtime.views.connect() as conn:
        queued = list_items(conn, ItemFilter(status=("sent_back",))).rows
    assert [(r["code"], r["agency"], r["due_date"]) for r in queued] == [
        (code, None, date(2025, 3, 10))]
    with pytest.raises(ItemNotFound):  # no longer the agency's: it left its scope
        runtime.tracker.get_item(XAY_DUNG_STAFF, code)


def test_the_digest_prints_each_agencys_days_held_and_answers_sent_back(
        runtime, clock, tmp_path):
    import io

    from openpyxl import load_workbook

    from petitions.digest import DigestRequest, build, render_document
    from tests.integration.digest_helpers import pdf_text

    code = petition_with_partner(runtime, clock)
    tracker = runtime.tracker
    clock.set(hanoi(date(2025, 3, 10)))  # Xây dựng held it five working days
    tracker.send_back(XAY_DUNG_STAFF, code, reason="Thuộc thẩm quyền Công an Thành phố.")
    clock.set(hanoi(date(2025, 3, 11)))
    tracker.assign(SECRETARIAT, code, agency="cong-an-thanh-pho")
    clock.set(hanoi(date(2025, 3, 13)))
    tracker.record_answer(POLICE_STAFF, code, outcome="explained", text="Đã giải thích.")
    tracker.return_answer(SECRETARIAT, code, reason="Chưa nêu rõ thời hạn.")
    clock.set(hanoi(date(2025, 3, 17)))
    tracker.record_answer(POLICE_STAFF, code, outcome="resolved", text="Đã xử lý xong.")
    tracker.accept_answer(SECRETARIAT, code, voters_satisfied=True)
    runtime.projector.catch_up()

    digest = build(runtime, DigestRequest("XVI-19"))
    rows = {r.label: r for r in digest.handling}
    text = pdf_text(render_document(digest), tmp_path)
    book = load_workbook(io.BytesIO(render_document(digest, "xlsx")))
    sheet = {r[1]: r for r in book["Xu ly"].iter_rows(values_only=True) if r and r[1]}

    built, police = rows["Sở Xây dựng"], rows["Công an Thành phố Hà Nội"]
    assert (built.hand_offs, built.average_held_days, built.answered) == (1, 5.0, 0)
    # Two hand-offs to the police: until its first answer, and again once it was sent back.
    assert (police.hand_offs, police.average_held_days) == (2, 2.0)
    assert (police.answered, police.returned_items, police.returned_rate) == (1, 1, 100.0)
    assert (police.accepted, police.average_rounds) == (1, 2.0)
    assert "Thời gian giữ và số lần trả lại theo cơ quan" in text
    assert any(line.split()[:4] == ["Sở", "Xây", "dựng", "1"] and "5,0" in line
               for line in text.splitlines()), text
    assert sheet["Công an Thành phố Hà Nội"][2:] == (2, 2.0, 1, 1, 1.0, 1, 2.0)
    assert sheet["Sở Xây dựng"][3] == 5.0
