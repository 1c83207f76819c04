"""Commitments on real stores: the register, the board and the digest section agree; escalation."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from domain.actor import SYSTEM
from domain.errors import InvalidInput, InvalidTransition
from petitions.digest.commitments import commitments_section
from projections import commitments as q
from tests.conftest import SECRETARIAT, XAY_DUNG_STAFF
from tests.integration.escalation_helpers import hanoi, runtime_for


@pytest.fixture
def runtime(settings, clock):
    clock.set(hanoi(date(2025, 12, 3), 15))
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def questioning(tracker) -> str:
    return tracker.hold_questioning_session(
        SECRETARIAT, kind="questioning", council_session="XVI-22", held_on=date(2025, 12, 3),
        topic="Xử lý các dự án chậm triển khai", leader_name="Nguyễn Văn B",
        leader_position="Giám đốc Sở Xây dựng", agency="so-xay-dung",
        deputies=["Đại biểu Trần Thị C", "Đại biểu Lê Văn D"], conclusion_no="15/KL-HĐND",
        conclusion_date=date(2025, 12, 3), conclusion_text="Xử lý dứt điểm trước 30/6/2026.").code


def commitment(tracker, source: str, title: str, due: date, target: float = 8) -> str:
    return tracker.record_commitment(
        SECRETARIAT, questioning=source, title=title, content=f"Cam kết: {title}.",
        agency="so-xay-dung", leader_name="Nguyễn Văn B", leader_position="Giám đốc Sở",
        field="land", target_date=due, unit="projects", target=target).code


def report(tracker, code: str, value: float, as_of: date) -> None:
    tracker.report_commitment_progress(XAY_DUNG_STAFF, code, council_session="XVII-02",
                                       as_of=as_of, text=f"Đã hoàn thành {value} dự án.",
                                       value=value, unit="projects")


@pytest.fixture
def stored(runtime, clock):
    """Four commitments at one session: met on time, met late, not met, overdue and open."""
    t = runtime.tracker
    source = questioning(t)
    on_time = commitment(t, source, "Hoàn thành 8 dự án", date(2026, 6, 30))
    late = commitment(t, source, "Thu hồi 4 dự án", date(2026, 3, 31), target=4)
    missed = commitment(t, source, "Giải phóng mặt bằng 10 dự án", date(2026, 6, 30), 10)
    overdue = commitment(t, source, "Khởi công 5 dự án", date(2026, 9, 30), 5)
    later = commitment(t, source, "Đưa 3 dự án vào sử dụng", date(2026, 12, 31), 3)
    clock.set(hanoi(date(2026, 6, 29)))
    report(t, on_time, 4, date(2026, 6, 1))
    t.accept_commitment_report(SECRETARIAT, on_time)
    t.assess_commitment(SECRETARIAT, on_time, outcome="met", text="8/8 dự án",
                        assessed_on=date(2026, 6, 29))
    clock.set(hanoi(date(2026, 10, 20)))
    t.assess_commitment(SECRETARIAT, late, outcome="met", text="Hoàn thành muộn",
                        assessed_on=date(2026, 10, 20))
    t.assess_commitment(SECRETARIAT, missed, outcome="not_met", text="Mới đạt 3/10",
                        assessed_on=date(2026, 10, 20))
    clock.set(hanoi(date(2026, 12, 2)))
    runtime.projector.catch_up()
    return {"on_time": on_time, "late": late, "missed": missed, "overdue": overdue,
            "later": later}


def test_the_register_the_board_and_the_digest_section_count_the_same(runtime, stored):
    today = runtime.tracker.today()
    with runtime.views.begin() as conn:
        rows = q.list_commitments(conn, q.CommitmentFilter(council_session="XVI-22"),
                                  today=today)
        (line,) = q.board(conn, "agency", today=today)
        section = commitments_section(conn, runtime.tracker.reference(),
                                      opens_on=date(2026, 12, 8), since=date(2026, 7, 7),
                                      today=today)

    register = Counter(r["result"] for r in rows)
    assert register == {q.MET_ON_TIME: 1, q.MET_LATE: 1, q.NOT_MET: 1, q.OVERDUE: 1, q.OPEN: 1}
    assert {name: line[name] for name in register} == register
    assert line["rate"] == pytest.approx(100 / 3, abs=0.1)
    assert dict(section.counts)["Thực hiện đúng hạn"] == register[q.MET_ON_TIME]
    assert [c.code for c in section.overdue] == [stored["overdue"]]
    assert [c.code for c in section.met] == [stored["late"]]  # assessed since XVII-02
    assert section.kept_rate == line["rate"]


def test_the_register_shows_the_measure_reported(runtime, stored):
    with runtime.views.begin() as conn:
        row = q.get_commitment(conn, stored["on_time"], today=runtime.tracker.today())
        points = q.measure_points(conn, row["id"])

    assert (row["value"], row["target"], row["unit"]) == (4, 8, "projects")
    assert [(p["value"], p["state"]) for p in points] == [(4, "accepted")]


def test_a_commitment_past_its_target_date_is_escalated_like_any_item(runtime, stored):
    summary = runtime.tracker.escalate_overdue(actor=SYSTEM)

    assert {e.code for e in summary.escalations} == {stored["overdue"]}
    runtime.projector.catch_up()
    with runtime.views.begin() as conn:
        row = q.get_commitment(conn, stored["overdue"], today=runtime.tracker.today())
    assert row["escalation_level"] == 3


def test_a_report_on_a_dropped_commitment_stores_nothing(runtime, stored):
    t = runtime.tracker
    t.drop_commitment(SECRETARIAT, stored["later"], reason="Chuyển sang chương trình khác")
    before = t.position()

    with pytest.raises(InvalidTransition):
        report(t, stored["later"], 1, date(2026, 12, 1))

    assert t.position() == before


def test_a_target_date_before_the_session_stores_nothing(runtime):
    t = runtime.tracker
    source = questioning(t)
    before = t.position()

    with pytest.raises(InvalidInput) as refused:
        commitment(t, source, "Hoàn thành 8 dự án", date(2025, 11, 1))

    assert "target_date" in refused.value.errors
    assert t.position() == before


def test_requestioning_records_a_new_commitment_linked_to_the_old(runtime, stored, clock):
    t = runtime.tracker
    clock.set(hanoi(date(2026, 12, 9)))
    source = t.hold_questioning_session(
        SECRETARIAT, kind="questioning", council_session="XVII-03", held_on=date(2026, 12, 9),
        topic="Chất vấn lại việc giải phóng mặt bằng", leader_name="Nguyễn Văn B",
        leader_position="Giám đốc Sở Xây dựng", agency="so-xay-dung", deputies=["Đại biểu E"]).code

    new = t.requestion_commitment(SECRETARIAT, stored["missed"], questioning=source,
                                  target_date=date(2027, 6, 30)).code
    runtime.projector.catch_up()

    assert t.get_item(SECRETARIAT, stored["missed"])["status"] == "requestioned"
    with runtime.views.begin() as conn:
        old = q.get_commitment(conn, stored["missed"], today=t.today())
        fresh = q.get_commitment(conn, new, today=t.today())
    assert (old["followed_by"], fresh["follows"], fresh["council_session"]) == (
        new, stored["missed"], "XVII-03")


def test_the_digest_prints_the_commitments_section_with_their_codes(runtime, stored, tmp_path):
    from petitions.digest import DigestRequest, make_digest
    from tests.integration.digest_helpers import pdf_text

    digest, pdf = make_digest(runtime, DigestRequest(session="XVII-03"))
    text = pdf_text(pdf, tmp_path, layout=False)

    section = text[text.rindex("Cam kết, lời hứa đến hạn"):]
    assert "Chưa có dữ liệu" not in text
    assert stored["overdue"] in section and stored["late"] in section
    assert "Quá hạn, chưa thực hiện" in section and "00/05 dự án".replace("00", "—") in section


def test_the_demo_commitments_read_like_the_city_s_report(runtime, clock):
    from petitions.demo.commitments import load_commitments

    codes = load_commitments(runtime.tracker, clock, hanoi(date(2026, 12, 2), 12))
    runtime.projector.catch_up()
    with runtime.views.begin() as conn:
        stalled = q.get_commitment(conn, codes["stalled"], today=date(2026, 12, 2))
        again = q.get_commitment(conn, codes["pollution_again"], today=date(2026, 12, 2))

    assert len(stalled["subitems"]) == 273
    assert [(c["category"], c["count"]) for c in stalled["categories"]] == [
        ("Chưa xử lý dứt điểm", 23), ("Đưa ra khỏi danh mục chậm triển khai", 170),
        ("Đang xử lý, hoàn thiện thủ tục", 55), ("Chấm dứt, thu hồi dự án", 25)]
    assert (stalled["value"], stalled["target"]) == (195, 273)
    assert (again["follows"], again["council_session"]) == (codes["pollution"], "XVII-02")
