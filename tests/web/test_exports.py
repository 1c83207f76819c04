"""Exports an office opens (XLSX in Vietnamese) and CSV for machines, both formula-safe."""
from __future__ import annotations

import csv
import io

import openpyxl

from petitions.exports import csv_bytes, safe_text
from tests.web.conftest import catch_up, log_petition

EVIL = 'Sửa đường;=HYPERLINK("http://evil.invalid","bấm")'


def test_a_formula_after_a_semicolon_is_neutralised_in_csv():
    text = csv_bytes(["Tiêu đề"], [[EVIL], ["=1+1"], ["-5 hộ dân"], ["Ngõ 5, phố Huế"]])

    lines = text.lstrip("\ufeff").splitlines()

    assert lines[1] == '"Sửa đường;\'=HYPERLINK(""http://evil.invalid"",""bấm"")"'
    assert lines[2:] == ['"\'=1+1"', '"\'-5 hộ dân"', '"Ngõ 5, phố Huế"']


def test_no_cell_starts_a_formula_when_the_csv_is_read_with_a_semicolon_separator():
    text = csv_bytes(["Tiêu đề", "Mã"], [[EVIL, "KN-2025-00001"], ["a; +1", "b"]])

    for separator in (",", ";"):
        cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=separator)
                 for c in row]
        assert not [c for c in cells if c.lstrip()[:1] in ("=", "+", "@")], separator


def test_safe_text_leaves_ordinary_text_alone():
    assert safe_text("Đường Láng; ngõ 5") == "Đường Láng; ngõ 5"


def test_the_xlsx_export_has_vietnamese_headers_labels_dates_and_the_codes(app, tracker,
                                                                           client_as):
    code = log_petition(tracker, title=EVIL)
    catch_up(app)

    response = client_as("district_staff").get("/items/export.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c for c in sheet[2]]))
    assert header[:4] == ["Mã số", "Loại", "Trích yếu nội dung", "Trạng thái"]
    assert row["Mã số"].value == code
    assert (row["Loại"].value, row["Trạng thái"].value) == ("Kiến nghị cử tri", "Đã tiếp nhận")
    assert row["Địa bàn"].value == "Quận Ba Đình"
    assert row["Trích yếu nội dung"].value == EVIL
    assert row["Trích yếu nội dung"].data_type == "s"  # text, not a formula
    assert row["Ngày nhận"].number_format == "DD/MM/YYYY"
    assert row["Quá hạn"].value == "Không"
    assert row["Loại (mã)"].value == "petition" and row["Địa bàn (mã)"].value == "ba-dinh"


def test_the_xlsx_export_shows_only_the_users_scope(app, tracker, client_as):
    from tests.web.conftest import HOAN_KIEM

    own = log_petition(tracker)
    other = log_petition(tracker, HOAN_KIEM)
    catch_up(app)

    response = client_as("district_staff").get("/items/export.xlsx")

    codes = [r[0] for r in openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(
        min_row=2, values_only=True)]
    assert own in codes and other not in codes
