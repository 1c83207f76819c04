"""Spreadsheet intake through the application, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from domain.actor import Actor, Role
from petitions.application import Tracker
from petitions.intake import IntakeFileError
from tests.conftest import SECRETARIAT, FixedClock
from tests.intake_helpers import (
    CLOCK_START, complaint_row, filled_template, petition_row,
)


@pytest.fixture
def app(settings):
    tracker = Tracker(settings, clock=FixedClock(CLOCK_START))
    tracker.load_reference()
    yield tracker
    tracker.close()


def _bad_row(i: int) -> list:
    """Return one of four kinds of invalid rows, each wrong in one known column."""
    return [
        petition_row(1000 + i, title=""),                               # title missing
        petition_row(1000 + i, district="Quận Hoàn Kiếm"),              # ended 30/06/2025
        petition_row(1000 + i, meeting_date="31/13/2026"),              # not a date
        petition_row(1000 + i, session="XVI-20"),                       # term XVI's session
    ][i % 4]


BAD_COLUMNS = ("title", "district", "meeting_date", "session")


def test_500_valid_rows_are_imported_once_and_20_errors_reported_by_row_and_column(app):
    rows = [petition_row(i) for i in range(500)]
    for i in range(20):
        rows.insert(i * 25 + 3, _bad_row(i))
    content = filled_template(app, rows)

    first = app.import_intake(SECRETARIAT, content, "tiep-xuc.xlsx")
    again = app.import_intake(SECRETARIAT, content, "tiep-xuc.xlsx")

    assert first.count("imported") == 500
    assert [(r.row, sorted(r.errors)) for r in first.invalid] == [
        (i * 25 + 3 + 2, [BAD_COLUMNS[i % 4]]) for i in range(20)]
    assert again.count("imported") == 0 and again.count("already") == 500
    assert len({r.code for r in first.rows if r.code}) == 500
    assert app.get_item(SECRETARIAT, first.rows[0].code)["title"] == rows[0][6]


def test_a_dry_run_stores_nothing(app):
    content = filled_template(app, [petition_row(1)])

    report = app.import_intake(SECRETARIAT, content, "a.xlsx", dry_run=True)

    assert report.count("valid") == 1
    assert app.check_intake(SECRETARIAT, content, "a.xlsx").count("already") == 0


def test_a_row_repeated_in_the_file_is_imported_once(app):
    content = filled_template(app, [petition_row(1), petition_row(1)])

    report = app.import_intake(SECRETARIAT, content, "a.xlsx")

    assert [r.status for r in report.rows] == ["imported", "repeated"]
    assert report.rows[1].repeats == 2


def test_dan_rows_are_imported_with_their_kind_channel_and_petitioner(app):
    content = filled_template(app, [], [complaint_row(1), complaint_row(2, kind="Tố cáo")])

    report = app.import_intake(SECRETARIAT, content, "don.xlsx")

    items = [app.get_item(SECRETARIAT, r.code) for r in report.rows]
    assert [i["kind"] for i in items] == ["reflection", "denunciation"]
    assert items[0]["channel"] == "direct"


def test_dates_as_text_and_excel_serials_are_read(app):
    serial = (date(2026, 11, 10) - date(1899, 12, 30)).days
    content = filled_template(app, [petition_row(1, meeting_date="10/11/2026"),
                                    petition_row(2, meeting_date=serial),
                                    petition_row(3, meeting_date="2026-11-10")])

    report = app.check_intake(SECRETARIAT, content, "a.xlsx")

    assert [r.data["meeting_date"] for r in report.rows] == [date(2026, 11, 10)] * 3


def test_district_staff_may_import_rows_of_their_own_unit_only(app):
    staff = Actor("can.bo.phuong.ba.dinh", Role.DISTRICT_STAFF, district="00004")
    content = filled_template(app, [petition_row(1), petition_row(2, district="Phường Hồng Hà",
                                                                   deputy_group="")])

    report = app.check_intake(staff, content, "a.xlsx")

    assert [r.status for r in report.rows] == ["valid", "invalid"]
    assert "district" in report.rows[1].errors


def test_blank_rows_are_skipped_and_counted(app):
    content = filled_template(app, [petition_row(1), [None] * 10, petition_row(2)])

    report = app.check_intake(SECRETARIAT, content, "a.xlsx")

    assert report.count("valid") == 2 and report.blank_rows == 1


def _refused(app, content: bytes, name: str = "a.xlsx") -> str:
    with pytest.raises(IntakeFileError) as caught:
        app.import_intake(SECRETARIAT, content, name)
    return str(caught.value)


def test_a_renamed_executable_is_refused(app):
    assert "not a spreadsheet" in _refused(app, b"MZ\x90\x00" + b"\x00" * 200, "don.xlsx")


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_inflated(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (120 * 1024 * 1024))

    assert "expands to far more" in _refused(app, out.getvalue())


def test_a_zip_that_is_not_a_workbook_is_refused(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")

    assert "not an Excel workbook" in _refused(app, out.getvalue())


def test_a_workbook_with_a_password_is_refused_with_that_reason(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(out.getvalue())
    # zipfile writes no encrypted entries: set the "encrypted" flag of each directory entry.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)

    assert "protected by a password" in _refused(app, bytes(data))


def test_merged_cells_are_refused(app):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(filled_template(app, [petition_row(1),
                                                                   petition_row(2)])))
    book["Kiến nghị cử tri"].merge_cells("B2:B3")
    out = io.BytesIO()
    book.save(out)

    assert "merged cells (B2:B3)" in _refused(app, out.getvalue())


def test_a_workbook_without_the_template_sheets_is_refused(app):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(["a", "b"])
    out = io.BytesIO()
    book.save(out)

    assert "No sheet named" in _refused(app, out.getvalue())


def test_missing_headers_are_named(app):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(filled_template(app, [petition_row(1)])))
    book["Kiến nghị cử tri"]["G1"] = "Tên"  # the title's header renamed
    out = io.BytesIO()
    book.save(out)

    assert "missing: “Trích yếu nội dung”" in _refused(app, out.getvalue())


def test_more_than_10000_rows_are_refused_whole(app):
    header = "Ngày tiếp xúc cử tri,Địa điểm tiếp xúc,\"Đơn vị (phường, xã)\",Tổ đại biểu,Kỳ họp,"\
             "Lĩnh vực,Tiêu đề,Nội dung kiến nghị\n"
    line = '10/11/2026,Nhà văn hóa,00004,XVII-to-01,XVII-03,transport,Tiêu đề {i},Nội dung\n'
    content = (header + "".join(line.format(i=i) for i in range(10_001))).encode()
    before = app.position()

    message = _refused(app, content, "a.csv")

    assert "10.001 rows" in message and app.position() == before


def test_a_csv_with_semicolons_is_imported(app):
    header = "Ngày tiếp xúc cử tri;Địa điểm tiếp xúc;Đơn vị (phường, xã);Tổ đại biểu;Kỳ họp;"\
             "Lĩnh vực;Tiêu đề;Nội dung kiến nghị\n"
    content = (header + "10/11/2026;Nhà văn hóa;Phường Ba Đình;XVII-to-01;XVII-03;Giao thông;"
               "Đèn tín hiệu;Nội dung\n").encode("utf-8-sig")

    report = app.import_intake(SECRETARIAT, content, "a.csv")

    assert report.count("imported") == 1


def test_the_result_workbook_lists_every_row_with_its_outcome(app):
    import openpyxl

    from petitions.intake.template import write_result

    report = app.import_intake(SECRETARIAT, filled_template(app, [petition_row(1),
                                                                  petition_row(2, title="")]),
                               "a.xlsx")

    book = openpyxl.load_workbook(io.BytesIO(write_result(report)))
    rows = list(book["Kiến nghị cử tri"].iter_rows(min_row=2, values_only=True))
    assert [r[:3] for r in rows] == [(2, "Đã nhập", "KN-2026-00001"),
                                     (3, "Có lỗi, không nhập", None)]
    assert rows[1][3].startswith("Trích yếu nội dung:")


def test_an_imported_petition_is_the_one_logging_its_checked_fields_creates(app):
    from domain.petition import VoterPetition

    report = app.import_intake(SECRETARIAT, filled_template(app, [petition_row(7)]), "a.xlsx")
    row = report.rows[0]
    stored = app.repository.get(VoterPetition.create_id(row.code))
    built = VoterPetition.log_checked(code=row.code, checked=row.checked, by=SECRETARIAT,
                                      at=app.now())

    def state(item):
        return {k: v for k, v in vars(item).items()
                if k not in ("_created_on", "_modified_on", "_pending_events")}

    assert row.status == "imported"
    assert state(stored) == state(built)
    assert [type(e) for e in built.pending_events] == [
        type(e) for e in app.events.get(stored.id)]


# -- checked rows imported a batch a transaction (``import_checked``) --------------------
def test_batches_are_written_one_a_transaction_in_order_and_their_progress_told(app):
    content = filled_template(app, [petition_row(i) for i in range(7)])
    told = []
    before = app.position()

    report = app.import_intake(SECRETARIAT, content, "a.xlsx", batch=2, progress=told.append)

    assert [r.code for r in report.rows] == [f"KN-2026-{n:05d}" for n in range(1, 8)]
    assert told == [2, 2, 2, 1]
    topics = [n.topic.rsplit(".", 1)[-1] for n in app.recorder.select_notifications(
        before + 1, limit=100)]
    # Each batch: its counter's block, then each petition with its marker (the year's
    # counter is started by the first).
    assert topics == ["CounterStarted"] + [
        t for size in told for t in ["NumbersAllocated", *["PetitionLogged", "RowImported"] * size]]


def test_a_batch_imported_meanwhile_is_checked_again_and_the_rest_imported(app):
    content = filled_template(app, [petition_row(i) for i in range(6)])
    report = app.check_intake(SECRETARIAT, content, "a.xlsx")
    meanwhile = app.check_intake(SECRETARIAT, content, "a.xlsx")
    app.import_rows(SECRETARIAT, meanwhile.rows[2:4], source="a.xlsx")  # rows 3 and 4

    app.import_checked(SECRETARIAT, report.rows, source="a.xlsx", batch=2)

    assert [r.status for r in report.rows] == ["imported", "imported", "already", "already",
                                               "imported", "imported"]
    codes = [r.code for r in report.rows]
    assert codes[2:4] == [r.code for r in meanwhile.rows[2:4]]
    assert sorted(codes) == [f"KN-2026-{n:05d}" for n in range(1, 7)]  # none lost, none twice
    assert app.check_intake(SECRETARIAT, content, "a.xlsx").count("already") == 6


def test_a_store_failing_mid_import_leaves_the_batches_written_before_and_says_so(app,
                                                                                  monkeypatch):
    from eventsourcing.persistence import OperationalError

    content = filled_template(app, [petition_row(i) for i in range(6)])
    report = app.check_intake(SECRETARIAT, content, "a.xlsx")
    insert, calls = app.recorder.insert_events, []

    def failing_second(stored, **kwargs):
        calls.append(len(stored))
        if len(calls) == 2:
            raise OperationalError("the server went away")
        return insert(stored, **kwargs)

    monkeypatch.setattr(app.recorder, "insert_events", failing_second)
    with pytest.raises(OperationalError):
        app.import_checked(SECRETARIAT, report.rows, source="a.xlsx", batch=2)
    monkeypatch.undo()

    assert [r.status for r in report.rows] == ["imported"] * 2 + ["valid"] * 4
    assert [r.code for r in report.rows[2:]] == [""] * 4
    again = app.import_intake(SECRETARIAT, content, "a.xlsx")
    assert [r.status for r in again.rows] == ["already"] * 2 + ["imported"] * 4
    assert sorted(r.code for r in again.rows) == [f"KN-2026-{n:05d}" for n in range(1, 7)]
