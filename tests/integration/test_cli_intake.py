"""``petitions import``: the template, a dry run, an import, and a second run that adds nothing."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from petitions.cli import main
from petitions.settings import Settings
from tests.intake_helpers import petition_row
from tests.integration.test_cli import store  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("store")


@pytest.fixture
def filled(store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    assert main(["init"]) == 0
    template = tmp_path / "mau.xlsx"
    assert main(["import", "template", "-o", str(template)]) == 0
    book = openpyxl.load_workbook(template)
    for i in range(3):
        book["Kiến nghị cử tri"].append(petition_row(i))
    book["Kiến nghị cử tri"].append(petition_row(9, session="XVI-20"))
    book.save(template)
    capsys.readouterr()
    return template


def test_a_dry_run_lists_the_errors_by_row_and_column_and_stores_nothing(
        filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["import", str(filled), "--dry-run"])

    out = capsys.readouterr().out
    assert status == 1
    assert "Kiến nghị cử tri, row 5, Kỳ họp:" in out
    assert "4 rows: 3 would be imported, 0 imported before" in out


def test_importing_twice_adds_the_rows_once(filled: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", str(filled), "--quiet"])
    first = capsys.readouterr().out
    main(["import", str(filled), "--quiet", "--result", str(tmp_path / "kq.xlsx")])
    second = capsys.readouterr().out

    assert "3 imported, 0 imported before" in first
    assert "0 imported, 3 imported before" in second
    sheet = openpyxl.load_workbook(tmp_path / "kq.xlsx")["Kiến nghị cử tri"]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Đã nhập từ trước"] * 3 + ["Có lỗi, không nhập"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_its_reason(
        store: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    main(["init"])
    fake = tmp_path / "don.xlsx"
    fake.write_bytes(b"\x7fELF" + b"\x00" * 100)

    status = main(["import", str(fake)])

    assert status == 1 and "not a spreadsheet" in capsys.readouterr().err
