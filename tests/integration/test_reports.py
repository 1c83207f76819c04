"""Issued reports: numbered from the register, frozen, the same bytes on every download;
the same figures in the PDF, the Word file and the Excel tables (SQLite and PostgreSQL)."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook

from domain.actor import Actor, Role
from domain.report_register import ReportRegister
from petitions.digest import DigestRequest, build, render_document
from petitions.digest.document import digest_document
from petitions.reports import issue_report, issued_file, issued_report, issued_reports
from petitions.runtime import Runtime
from tests.conftest import FixedClock
from tests.integration.digest_helpers import pdf_text, row_numbers
from tests.web.conftest import HOAN_KIEM, SECRETARIAT, log_petition

CITY = DigestRequest("XVI-20")
DEPUTY = Actor("dai.bieu", Role.DEPUTY)


@pytest.fixture
def runtime(settings) -> Iterator[Runtime]:
    """A store with three petitions of session XVI-20, read models up to date."""
    clock = FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    rt = Runtime(settings, clock=clock)
    rt.tracker.load_reference()
    for title in ("Cải tạo vỉa hè phố Đội Cấn", "Lắp đèn đường ngõ 12 Kim Mã"):
        log_petition(rt.tracker, session="XVI-20", title=title)
    log_petition(rt.tracker, HOAN_KIEM, session="XVI-20", title="Chỉnh trang phố Hàng Bài")
    rt.projector.catch_up()
    yield rt
    rt.close()


def issue(runtime: Runtime, **options) -> object:
    """Issue the city-wide report of XVI-20 as the council office."""
    return issue_report(runtime, SECRETARIAT, CITY, **options)


def test_issuing_takes_the_next_number_of_the_year_from_the_register(runtime):
    first, second = issue(runtime), issue(runtime)

    assert (first.number, first.sign) == (1, "01/BC-VP")
    assert (second.number, second.sign) == (2, "02/BC-VP")
    assert [r.number for r in issued_reports(runtime.tracker)] == [2, 1]


def test_each_issuer_has_its_own_register(runtime):
    office = issue(runtime)

    standing = issue(runtime, issuer="thuong-truc")

    assert office.sign == "01/BC-VP" and standing.sign == "01/BC-HĐND"


def test_a_new_year_starts_the_register_again_at_01(runtime):
    issue(runtime)
    runtime.tracker.clock.set(datetime(2026, 1, 2, 2, 0, tzinfo=timezone.utc))

    report = issue(runtime)

    assert (report.year, report.sign) == (2026, "01/BC-VP")


def test_issuing_is_an_event_naming_the_actor(runtime):
    report = issue(runtime, signer="Nguyễn Văn Ký")

    register = runtime.tracker.repository.get(ReportRegister.create_id("van-phong", "BC", 2025))
    entry = register.reports[0]

    assert (entry["actor"], entry["role"], entry["signer"]) == ("thu.ky", "secretariat",
                                                                "Nguyễn Văn Ký")
    assert set(entry["files"]) == {"pdf", "docx", "xlsx"} and report.position > 0


def test_only_the_office_issues_reports(runtime):
    from domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue_report(runtime, DEPUTY, CITY)


def test_downloading_an_issued_report_again_gives_the_same_bytes(runtime):
    report = issue(runtime)

    first = {fmt: issued_file(runtime, report, fmt) for fmt in ("pdf", "docx", "xlsx")}
    again = {fmt: issued_file(runtime, issued_report(runtime.tracker, "van-phong", 2025, 1), fmt)
             for fmt in ("pdf", "docx", "xlsx")}

    assert first == again


def test_a_change_after_issue_leaves_the_issued_report_unchanged(runtime, tmp_path):
    report = issue(runtime)
    pdf_before = issued_file(runtime, report, "pdf")
    log_petition(runtime.tracker, session="XVI-20", title="Nạo vét mương thoát nước Ngọc Hà")
    runtime.projector.catch_up()

    kept = issued_report(runtime.tracker, "van-phong", 2025, 1)
    draft = pdf_text(render_document(build(runtime, CITY)), tmp_path)

    assert issued_file(runtime, kept, "pdf") == pdf_before
    assert kept.figures["headline"][0][1] == 3
    assert row_numbers(pdf_text(pdf_before, tmp_path), "Tổng số kiến nghị của kỳ họp")[0] == 3
    assert row_numbers(draft, "Tổng số kiến nghị của kỳ họp")[0] == 4


def test_a_report_issued_as_of_a_past_day_prints_that_days_board_and_stays_as_issued(
        runtime, tmp_path):
    from datetime import date, timedelta

    from sqlalchemy import select

    from projections.counters import ALL
    from projections.district_board import district_summary
    from projections.items import items_view
    from tests.conftest import XAY_DUNG_STAFF

    app = runtime.tracker
    cut = app.today()
    app.clock.set(app.clock() + timedelta(days=7))
    log_petition(app, session="XVI-20", title="Nạo vét mương thoát nước Ngọc Hà")
    with runtime.views.connect() as conn:
        first = conn.execute(select(items_view.c.code).order_by(items_view.c.seq)).scalar()
    app.assign(SECRETARIAT, first, agency="so-xay-dung", due_date=date(2025, 3, 31))
    runtime.projector.catch_up()

    report = issue(runtime, as_of=cut)
    files = {fmt: issued_file(runtime, report, fmt) for fmt in ("pdf", "docx", "xlsx")}
    # An item the report counted changes after it was issued.
    app.record_answer(XAY_DUNG_STAFF, first, outcome="resolved", text="Đã lát lại vỉa hè.")
    runtime.projector.catch_up()
    kept = issued_report(app, "van-phong", 2025, 1)
    text = pdf_text(files["pdf"], tmp_path)
    with runtime.views.connect() as conn:
        board = district_summary(conn, ALL, "XVI-20", today=cut, as_of=True)

    assert {fmt: issued_file(runtime, kept, fmt) for fmt in files} == files
    assert f"Số liệu tính đến ngày {cut:%d/%m/%Y}" in text
    assert row_numbers(text, "Tổng số kiến nghị của kỳ họp")[0] == board["raised"] == 3
    assert row_numbers(text, "Đã được trả lời")[0] == board.get("answered", 0) == 0
    assert kept.as_of == cut


def test_the_issued_pdf_is_a_state_document(runtime, tmp_path):
    text = pdf_text(issued_file(runtime, issue(runtime, signer="Nguyễn Văn Ký"), "pdf"),
                    tmp_path)

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐOÀN ĐBQH VÀ HĐND THÀNH PHỐ HÀ NỘI" in text and "VĂN PHÒNG" in text
    assert "Số: 01/BC-VP" in text
    assert "Hà Nội, ngày 03 tháng 03 năm 2025" in text
    assert "Số liệu tính đến ngày 03/03/2025" in text
    assert "Nơi nhận:" in text and "CHÁNH VĂN PHÒNG" in text and "Nguyễn Văn Ký" in text
    assert "DỰ THẢO" not in text


def test_a_draft_says_so_and_has_no_number(runtime, tmp_path):
    text = pdf_text(render_document(build(runtime, CITY)), tmp_path)

    assert "DỰ THẢO" in text
    assert re.search(r"Số:\s+/BC-VP", text)


def docx_text(body: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """Return the paragraphs of a DOCX and the cell texts of its tables."""
    doc = read_docx(io.BytesIO(body))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return [p.text for p in doc.paragraphs], tables


def _count(text: str) -> int:
    return int(text.replace(".", ""))


def test_the_word_file_carries_the_document_parts_and_the_pdf_numbers(runtime, tmp_path):
    report = issue(runtime)
    pdf = pdf_text(issued_file(runtime, report, "pdf"), tmp_path)

    paragraphs, tables = docx_text(issued_file(runtime, report, "docx"))
    masthead = " ".join(" ".join(row) for row in tables[0])
    headline = {row[0]: row for row in tables[1]}

    assert "Số: 01/BC-VP" in masthead and "Độc lập - Tự do - Hạnh phúc" in masthead
    assert "Số liệu tính đến ngày 03/03/2025" in paragraphs
    for label in ("Tổng số kiến nghị của kỳ họp", "Đã được trả lời", "Chưa kết thúc"):
        assert _count(headline[label][1]) == row_numbers(pdf, label)[0]


def test_the_excel_tables_hold_the_same_numbers_as_the_pdf(runtime, tmp_path):
    report = issue(runtime)
    pdf = pdf_text(issued_file(runtime, report, "pdf"), tmp_path)

    book = load_workbook(io.BytesIO(issued_file(runtime, report, "xlsx")))
    summary = {row[0]: row for row in book["Tong hop"].iter_rows(values_only=True) if row[0]}
    outcomes = [row for row in book["Ket qua"].iter_rows(values_only=True) if row[0]]

    assert book["Thong tin"]["B2"].value == "01/BC-VP"
    assert summary["Chỉ tiêu"][1] == "Kỳ này"
    for label in ("Tổng số kiến nghị của kỳ họp", "Đã được trả lời", "Chưa kết thúc"):
        assert summary[label][1] == row_numbers(pdf, label)[0]
    total = next(row for row in outcomes if row[0] == "Tổng cộng")
    header = next(n for n, row in enumerate(outcomes) if row[1] == "Kỳ này")
    body = [row for row in outcomes[header + 1:] if row[0] != "Tổng cộng"]
    assert sum(row[1] for row in body) == total[1] == summary["Tổng số kiến nghị của kỳ họp"][1]


def test_the_excel_headline_equals_the_board(runtime):
    from projections.counters import ALL
    from projections.district_board import district_summary

    book = load_workbook(io.BytesIO(issued_file(runtime, issue(runtime), "xlsx")))
    summary = {row[0]: row for row in book["Tong hop"].iter_rows(values_only=True) if row[0]}
    with runtime.views.connect() as conn:
        board = district_summary(conn, ALL, "XVI-20", today=runtime.tracker.today())

    for label, figure in (("Tổng số kiến nghị của kỳ họp", "raised"),
                          ("Đã được trả lời", "answered"), ("Chưa kết thúc", "open")):
        assert summary[label][1] == board.get(figure, 0)


def test_a_district_report_names_the_district_among_the_recipients(runtime, tmp_path):
    digest = build(runtime, DigestRequest("XVI-20", district="ba-dinh"))

    doc = digest_document(digest)

    assert "HĐND, UBND Quận Ba Đình" in doc.recipients and doc.recipients[-1] == "Lưu: VT"


def test_pdf_pages_as_pictures(runtime, tmp_path: Path):
    """Keep images of the issued report's first and last page for a person to look at."""
    from tests.integration.digest_helpers import page_images

    body = issued_file(runtime, issue(runtime, signer="Nguyễn Văn Ký"), "pdf")
    pages = pdf_text(body, tmp_path).count("\f")

    images = page_images(body, f"issued-{runtime.views.dialect}", 1, pages)

    assert len(images) == pages


# -- the command line ------------------------------------------------------------------------
def test_cli_writes_word_and_excel_files(runtime, tmp_path, monkeypatch, capsys):
    if runtime.views.dialect != "sqlite":
        pytest.skip("the CLI test reads the instance folder's SQLite files")
    from petitions.cli import main as cli_main
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)

    word = cli_main(["digest", "--session", "XVI-20", "--format", "docx",
                     "-o", str(tmp_path / "r.docx")])
    excel = cli_main(["digest", "--session", "XVI-20", "--format", "xlsx",
                      "-o", str(tmp_path / "r.xlsx")])

    assert (word, excel) == (0, 0), capsys.readouterr().err
    assert "Báo cáo" in capsys.readouterr().err           # the progress bar
    paragraphs, _ = docx_text((tmp_path / "r.docx").read_bytes())
    assert "BÁO CÁO" in paragraphs
    assert load_workbook(tmp_path / "r.xlsx")["Tong hop"]["A1"].value == \
        "Tổng hợp kết quả giải quyết"


def test_cli_issues_a_report_and_gets_it_back_byte_for_byte(runtime, tmp_path, monkeypatch,
                                                             capsys):
    if runtime.views.dialect != "sqlite":
        pytest.skip("the CLI test reads the instance folder's SQLite files")
    from petitions.cli import main as cli_main
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)

    issued = cli_main(["digest", "--session", "XVI-20", "--issue", "--actor", "thu.ky",
                       "-o", str(tmp_path / "issued.pdf")])
    listed = cli_main(["reports", "list"])
    listing = capsys.readouterr().out
    year = datetime.now(timezone.utc).year  # the CLI's own clock
    got = cli_main(["reports", "get", "--year", str(year), "--number", "1",
                    "-o", str(tmp_path / "again.pdf")])

    assert (issued, listed, got) == (0, 0, 0)
    assert "01/BC-VP" in listing and "thu.ky" in listing
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "issued.pdf").read_bytes()


def test_cli_worker_runs_the_queued_jobs_once(runtime, monkeypatch, capsys):
    if runtime.views.dialect != "sqlite":
        pytest.skip("the CLI test reads the instance folder's SQLite files")
    from petitions.cli import main as cli_main
    from petitions.render_jobs import DONE, RenderQueue
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)
    job = RenderQueue(runtime.views.engine).request(SECRETARIAT, "draft",
                                                    {"session": "XVI-20", "fmt": "xlsx"},
                                                    position=1)

    status = cli_main(["worker", "--once"])

    assert status == 0 and "Rendered 1 job(s)." in capsys.readouterr().out
    assert RenderQueue(runtime.views.engine).get(job.id).status == DONE
