"""``petitions documents`` on SQLite and PostgreSQL: urge, list, register, refuse."""
from __future__ import annotations

import subprocess
from datetime import date, datetime, timezone

import pytest

from petitions.application import Tracker
from petitions.cli import main
from tests import sample_files as files
from tests.conftest import SECRETARIAT, FixedClock
from tests.integration import log_petition
from tests.integration.test_cli import store  # noqa: F401  (the fixture)


@pytest.fixture
def overdue(store):  # noqa: F811
    """Init the store and assign a petition in March 2025, long overdue by now."""
    assert main(["init"]) == 0
    tracker = Tracker(store, clock=FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)))
    try:
        code = log_petition(tracker).code
        tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 28))
    finally:
        tracker.close()
    return code


def test_the_command_urges_writes_the_letter_and_lists_it(overdue, tmp_path, capsys):
    assert main(["documents", "urge", overdue, "--signer", "Trần Thị C",
                 "-o", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    (pdf,) = tmp_path.glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout

    assert "issued 1/VP-HĐND to Sở Xây dựng" in printed
    assert "Số: 1/VP-HĐND" in text and overdue in text and "Kính gửi: Sở Xây dựng" in text
    assert main(["documents", "list", "--code", overdue]) == 0
    assert "1/VP-HĐND" in capsys.readouterr().out


def test_the_command_registers_a_decision_with_its_file(overdue, tmp_path, capsys):
    scan = tmp_path / "qd.png"
    scan.write_bytes(files.png_image())

    assert main(["documents", "register", overdue, "--number", "12", "--sign", "QĐ-UBND",
                 "--date", "2025-03-01", "--issuer", "UBND quận Ba Đình",
                 "--type", "quyet_dinh", "--summary", "Quyết định", "--file", str(scan)]) == 0

    assert "registered 12/QĐ-UBND" in capsys.readouterr().out


def test_the_command_refuses_a_pdf_with_javascript_in_one_line(overdue, tmp_path, capsys):
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(files.pdf_with_javascript())

    status = main(["documents", "register", overdue, "--number", "3", "--date", "2025-03-01",
                   "--issuer", "Sở Xây dựng", "--summary", "Trả lời", "--file", str(bad)])

    assert status == 1
    assert "JavaScript" in capsys.readouterr().err
