"""The digest's section "Cam kết, lời hứa đến hạn": its data, apart from the rest of the digest.

Three lists for a council session, each commitment with its measure ("04/08 dự án"): those
due by the session's opening and not yet late, those met since the previous session, and
those past their target date. The counts are ``projections.commitments.result_of``'s, as on
the register and the board. Printed by the partial ``templates/_commitments.html``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.commitment import format_measure
from projections import commitments as q
from petitions.digest.labels import ref_name

# The measure's units and the statuses in the words of the web's Vietnamese catalog.
UNIT = {"projects": "dự án", "hectares": "ha", "billion_dong": "tỷ đồng", "percent": "%",
        "items": "chỉ tiêu"}
STATUS = {"recorded": "Đã ghi nhận", "in_progress": "Đang thực hiện",
          "reported": "Đã báo cáo, chờ xem xét", "parked": "Tạm dừng", "met": "Đã thực hiện",
          "partly_met": "Thực hiện một phần", "not_met": "Chưa thực hiện",
          "dropped": "Không tiếp tục theo dõi", "requestioned": "Đã chất vấn lại",
          "withdrawn": "Đã rút", "closed": "Đã đóng"}
RESULT = {q.MET_ON_TIME: "Thực hiện đúng hạn", q.MET_LATE: "Thực hiện chậm",
          q.PARTLY_MET: "Thực hiện một phần", q.NOT_MET: "Không thực hiện được",
          q.OVERDUE: "Quá hạn, chưa thực hiện", q.OPEN: "Đang thực hiện, chưa đến hạn",
          q.DROPPED: "Không tiếp tục theo dõi"}


@dataclass
class CommitmentLine:
    """One commitment in the digest: no personal data (the leader is a public office)."""

    code: str
    title: str
    agency: str
    leader: str
    source: str
    due_date: date | None
    measure: str
    status: str
    days_late: int | None


@dataclass
class CommitmentSection:
    """The three lists and the counts by result, with the share kept on time."""

    due: list[CommitmentLine] = field(default_factory=list)
    met: list[CommitmentLine] = field(default_factory=list)
    overdue: list[CommitmentLine] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)
    kept_rate: float | None = None
    total: int = 0

    def __bool__(self) -> bool:
        return self.total > 0


def measure_text(row: Mapping[str, Any]) -> str:
    """Say the row's measure as the reports do ("04/08 dự án"), or its sub-item counts."""
    if row.get("unit"):
        return format_measure(row.get("value"), row.get("target"), UNIT.get(row["unit"], ""))
    cats = row.get("categories") or []
    return "; ".join(f"{c['category']}: {c['count']}" + (f" ({c['percent']:.1f}%)".replace(
        ".", ",") if c["percent"] is not None else "") for c in cats if c["count"])


def commitments_section(conn: Any, reference: Mapping[str, Any], *, opens_on: date | None,
                        since: date | None, today: date) -> CommitmentSection:
    """Return the section's data for a session opening on ``opens_on`` (as of ``today``)."""
    rows = q.list_commitments(conn, q.CommitmentFilter(), today=today, limit=100_000)
    section = CommitmentSection(total=len(rows))
    counted: Counter[str] = Counter(r["result"] for r in rows)
    section.counts = [(RESULT[name], counted.get(name, 0)) for name in q.RESULTS]
    section.kept_rate = q.kept_rate(counted)
    for row in rows:
        line = _line(reference, row, today)
        if row["result"] == q.OVERDUE:
            section.overdue.append(line)
        elif row["result"] == q.OPEN and opens_on and row["due_date"] <= opens_on:
            section.due.append(line)
        elif row["status"] in ("met", "partly_met") and (
                since is None or (row["assessed_on"] and row["assessed_on"] >= since)):
            section.met.append(line)
    return section


def _line(reference: Mapping[str, Any], row: Mapping[str, Any], today: date) -> CommitmentLine:
    due = row["due_date"]
    what = "Phiên chất vấn" if row["source_kind"] == "questioning" else "Phiên giải trình"
    source = f"{what} ngày {row['held_on']:%d/%m/%Y}"
    if row.get("conclusion_no"):
        source += f", Kết luận số {row['conclusion_no']}"
    return CommitmentLine(
        code=row["code"], title=row["title"],
        agency=ref_name(reference, "agencies", row["agency"], row["agency"]),  # type: ignore[arg-type]
        leader=", ".join(p for p in (row["leader_name"], row.get("leader_position")) if p),
        source=source, due_date=due, measure=measure_text(row),
        # An assessed commitment says how it was kept (on time, late …), an open one its status.
        status=RESULT[row["result"]] if row["result"] in (q.MET_ON_TIME, q.MET_LATE,
                                                          q.PARTLY_MET, q.NOT_MET)
        else STATUS.get(row["status"], row["status"]),
        days_late=(today - due).days if row["result"] == q.OVERDUE and due else None)
