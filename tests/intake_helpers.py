"""Workbooks for the intake tests: the template filled with rows, and broken files."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone
from typing import Any

CLOCK_START = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hanoi
MEETING = date(2026, 11, 10)


def petition_row(i: int, **changes: Any) -> list[Any]:
    """Return the cells of the ``i``-th valid petition row (new wards, term XVII)."""
    row = {
        "meeting_date": MEETING, "meeting_place": "Nhà văn hóa tổ dân phố số 3",
        "district": "Phường Ba Đình", "deputy_group": "XVII-to-01", "session": "XVII-03",
        "field": "Giao thông", "title": f"Lắp đèn tín hiệu giao thông tại nút số {i}",
        "content": f"Cử tri đề nghị lắp đèn tín hiệu tại nút giao số {i} phố Quán Thánh.",
        "voters": "Ông Nguyễn Văn An", "received_on": None,
    }
    row.update(changes)
    return list(row.values())


def complaint_row(i: int, **changes: Any) -> list[Any]:
    """Return the cells of the ``i``-th valid đơn row."""
    row = {
        "received_on": "12/11/2026", "kind": "Kiến nghị, phản ánh", "channel": "Trực tiếp",
        "district": "00004", "field": "Môi trường", "title": f"Phản ánh tiếng ồn công trình {i}",
        "content": "Công trình thi công ban đêm gây ồn.", "subject": "",
        "anonymous": "Không", "petitioner_name": "Trần Thị Bình",
        "petitioner_address": "Số 5 phố Quán Thánh", "petitioner_phone": "0912345678",
        "petitioner_id_number": "", "learned_on": None,
    }
    row.update(changes)
    return list(row.values())


def filled_template(app: Any, petitions: list[list[Any]], complaints: list[list[Any]] = ()
                    ) -> bytes:
    """Return the downloaded template with the rows typed in."""
    import openpyxl

    from petitions.intake.template import write_template

    book = openpyxl.load_workbook(io.BytesIO(write_template(app.reference(), app.today())))
    for title, rows in (("Kiến nghị cử tri", petitions), ("Đơn thư", complaints)):
        for row in rows:
            book[title].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
