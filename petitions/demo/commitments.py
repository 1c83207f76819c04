"""Demo commitments: the year-end 2025 questioning sessions and what became of their promises.

Read like the city's follow-up reports ("kết quả thực hiện các nghị quyết, kết luận, cam kết,
lời hứa tại các phiên chất vấn"). The starting point is real: by 5 November 2025 the city
had reviewed all 712 stalled non-budget projects with land and handled 439 of them
definitively (61.66 %), which leaves 273 —
https://tienphong.vn/hien-trang-3-lo-dat-vang-bo-khong-o-trung-tam-ha-noi-post1801102.tpo
(and, for the count of 712, https://dothi.reatimes.vn/ha-noi-705-du-an-cham-tien-do-su-dung-dat-duoc-xu-ly-4478.html).
Everything after that — the sessions' wording, the leaders' names, the 2026 figures — is
invented for the demo; the leaders are not real people.

Every step goes through the tracker's commands on the demo's clock, and only steps dated
up to ``end`` ("now") are taken.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from domain.actor import SYSTEM, Actor, Role
from domain.reference import entries_on

OFFICE = Actor("thu.ky", Role.SECRETARIAT)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
STALLED_LEFT = 273  # 712 − 439 handled definitively by 5/11/2025 (see the module's sources)
NOT_YET, OFF_LIST, HANDLING, REVOKED = (
    "Chưa xử lý dứt điểm", "Đưa ra khỏi danh mục chậm triển khai",
    "Đang xử lý, hoàn thiện thủ tục", "Chấm dứt, thu hồi dự án")
CATEGORIES = [NOT_YET, OFF_LIST, HANDLING, REVOKED]
# How the 273 moved (invented): at mid-year 2026 the first 120 were off the list, the next
# 60 being handled, the next 12 to be revoked; by year-end 50 of those being handled were
# off the list too, 45 more were being handled and 13 more to be revoked.
MID_YEAR_MOVES = ((0, 120, OFF_LIST), (120, 180, HANDLING), (180, 192, REVOKED))
YEAR_END_MOVES = ((120, 170, OFF_LIST), (192, 237, HANDLING), (237, 250, REVOKED))


def _agency(username: str, code: str) -> Actor:
    return Actor(username, Role.AGENCY_STAFF, agency=code)


class _Steps:
    """Take dated steps on the demo clock, skipping those after ``end``."""

    def __init__(self, tracker: Any, clock: Any, end: datetime) -> None:
        self.tracker, self.clock, self.end = tracker, clock, end
        self.codes: dict[str, str] = {}

    def on(self, day: date, do: Callable[[], Any], hour: int = 10) -> Any:
        at = datetime.combine(day, time(hour), HANOI)
        if at > self.end:
            return None
        self.clock.set(at)
        return do()

    def conclude(self, code: str | None, day: date, number: str, text: str) -> None:
        """Record a session's conclusion on the day it was issued."""
        if code:
            self.on(day, lambda: self.tracker.record_conclusion(
                OFFICE, code, conclusion_no=number, conclusion_date=day, conclusion_text=text))


def load_commitments(tracker: Any, clock: Any, end: datetime, seed: int = 2025) -> dict[str, str]:
    """Record the demo's questioning sessions and commitments; return the codes by key."""
    rng = random.Random(seed)
    s = _Steps(tracker, clock, end)
    t = tracker
    cv1 = s.on(date(2025, 12, 3), lambda: t.hold_questioning_session(
        OFFICE, kind="questioning", council_session="XVI-22", held_on=date(2025, 12, 3),
        topic="Xử lý các dự án vốn ngoài ngân sách có sử dụng đất chậm triển khai",
        leader_name="Nguyễn Minh Hải", leader_position="Giám đốc Sở Nông nghiệp và Môi trường",
        agency="so-nong-nghiep-va-moi-truong",
        deputies=["Đại biểu Trần Thị Lan (Tổ đại biểu số 3)",
                  "Đại biểu Lê Quang Vinh (Tổ đại biểu số 12)",
                  "Đại biểu Phạm Thu Hà (Tổ đại biểu số 21)"],
        ).code, hour=15)
    s.conclude(cv1, date(2025, 12, 4), "15/KL-HĐND",
               "UBND Thành phố chỉ đạo xử lý dứt điểm 273 dự án còn lại trước 31/12/2026; hoàn "
               "thành cải tạo 08 chung cư cũ trong năm 2026; thu hồi 120 ha đất của các dự án "
               "vi phạm trước 30/9/2026.")
    cv2 = s.on(date(2025, 12, 4), lambda: t.hold_questioning_session(
        OFFICE, kind="questioning", council_session="XVI-22", held_on=date(2025, 12, 4),
        topic="Khắc phục ô nhiễm môi trường, xử lý rác thải và nước thải",
        leader_name="Đỗ Văn Thành", leader_position="Phó Chủ tịch UBND Thành phố",
        agency="so-nong-nghiep-va-moi-truong",
        deputies=["Đại biểu Nguyễn Hồng Nhung (Tổ đại biểu số 7)",
                  "Đại biểu Vũ Đức Long (Tổ đại biểu số 15)"],
        conclusion_no="16/KL-HĐND", conclusion_date=date(2025, 12, 4),
        conclusion_text="Xử lý dứt điểm 15 điểm ô nhiễm môi trường nghiêm trọng trước 30/6/2026.").code,
        hour=11)
    gt1 = s.on(date(2025, 11, 20), lambda: t.hold_questioning_session(
        OFFICE, kind="explanation", council_session="XVI-22", held_on=date(2025, 11, 20),
        topic="Giải trình về tiến độ giải ngân vốn bồi thường, giải phóng mặt bằng",
        leader_name="Hoàng Thị Mai", leader_position="Giám đốc Sở Tài chính",
        agency="so-tai-chinh", deputies=["Thường trực HĐND Thành phố"]).code)
    s.conclude(gt1, date(2025, 11, 25), "210/TB-HĐND",
               "Giải ngân 5.000 tỷ đồng vốn bồi thường, GPMB trước 30/6/2026.")
    if cv1 is None:
        return {}

    def commit(key: str, source: str, day: date, **data: Any) -> None:
        data.setdefault("field", "land")
        s.codes[key] = s.on(day, lambda: t.record_commitment(
            OFFICE, questioning=source, **data).code, hour=16)

    units = [e for e in entries_on(t.reference()["units"], date(2025, 12, 5)).values()]
    projects = [{"ref": f"DA-{n:03d}", "name": (
        f"Dự án {rng.choice(['khu nhà ở', 'khu đô thị mới', 'trung tâm thương mại', 'văn phòng cho thuê', 'khu dịch vụ hỗn hợp', 'trường học tư thục', 'bệnh viện tư nhân'])} "
        f"tại {rng.choice(units)['name']}"), "category": NOT_YET} for n in range(1, STALLED_LEFT + 1)]
    nnmt = dict(agency="so-nong-nghiep-va-moi-truong", leader_name="Nguyễn Minh Hải",
                leader_position="Giám đốc Sở Nông nghiệp và Môi trường")
    xay_dung = dict(agency="so-xay-dung", leader_name="Trần Đức Anh",
                    leader_position="Giám đốc Sở Xây dựng")
    commit("stalled", cv1, date(2025, 12, 5), **nnmt,
           title="Xử lý dứt điểm 273 dự án ngoài ngân sách chậm triển khai còn lại",
           content=("Đến ngày 05/11/2025 đã xử lý dứt điểm 439/712 dự án (61,66%). Giám đốc Sở "
                    "Nông nghiệp và Môi trường hứa tham mưu UBND Thành phố xử lý dứt điểm 273 dự "
                    "án còn lại trước 31/12/2026: đưa ra khỏi danh mục các dự án đã khắc phục, "
                    "hoàn thiện thủ tục các dự án đang xử lý, chấm dứt và thu hồi các dự án vi phạm."),
           target_date=date(2026, 12, 31), unit="projects", target=STALLED_LEFT,
           categories=CATEGORIES, subitems=projects)
    commit("land", cv1, date(2025, 12, 5), **nnmt,
           title="Thu hồi 120 ha đất của các dự án vi phạm Luật Đất đai",
           content="Hoàn thành thu hồi 120 ha đất của các dự án chậm đưa đất vào sử dụng trước 30/9/2026.",
           target_date=date(2026, 9, 30), unit="hectares", target=120)
    commit("housing", cv1, date(2025, 12, 5), **xay_dung,
           field="construction_urban_order",
           title="Hoàn thành cải tạo, xây dựng lại 08 chung cư cũ",
           content="Giám đốc Sở Xây dựng hứa khởi công và hoàn thành cải tạo 08 chung cư cũ trong 6 tháng đầu năm 2026.",
           target_date=date(2026, 6, 30), unit="projects", target=8)
    commit("pollution", cv2, date(2025, 12, 5), agency="so-nong-nghiep-va-moi-truong",
           leader_name="Đỗ Văn Thành", leader_position="Phó Chủ tịch UBND Thành phố",
           field="environment", title="Xử lý dứt điểm 15 điểm ô nhiễm môi trường nghiêm trọng",
           content="Xử lý dứt điểm 15 điểm ô nhiễm môi trường nghiêm trọng (rác tồn đọng, nước thải chưa xử lý) trước 30/6/2026.",
           target_date=date(2026, 6, 30), unit="items", target=15)
    commit("streets", cv2, date(2025, 12, 5), **xay_dung,
           field="construction_urban_order",
           title="Hoàn thành cải tạo hệ thống thoát nước 10 tuyến phố thường xuyên ngập",
           content="Hoàn thành cải tạo hệ thống thoát nước 10 tuyến phố thường xuyên ngập úng trước mùa mưa bão cuối năm 2026.",
           target_date=date(2026, 12, 5), unit="items", target=10)
    commit("bus", cv2, date(2025, 12, 5), **xay_dung, field="transport",
           title="Di dời 02 bến xe khách liên tỉnh ra ngoài Vành đai 3",
           content="Di dời bến xe Giáp Bát và bến xe Lương Yên ra ngoài đường Vành đai 3 trong năm 2026.",
           target_date=date(2026, 10, 31), unit="items", target=2)
    commit("compensation", gt1, date(2025, 11, 26), agency="so-tai-chinh",
           leader_name="Hoàng Thị Mai", leader_position="Giám đốc Sở Tài chính", field="other",
           title="Giải ngân 5.000 tỷ đồng vốn bồi thường, giải phóng mặt bằng",
           content="Giải ngân 5.000 tỷ đồng vốn bồi thường, hỗ trợ, tái định cư cho các dự án trọng điểm trước 30/6/2026.",
           target_date=date(2026, 6, 30), unit="billion_dong", target=5000)

    c = s.codes
    # so.xay.dung is a demo account; the other two agencies' clerks are named in the history.
    nnmt_staff = _agency("so.nong.nghiep.moi.truong", "so-nong-nghiep-va-moi-truong")
    xd, tc = _agency("so.xay.dung", "so-xay-dung"), _agency("so.tai.chinh", "so-tai-chinh")

    def report(key: str, who: Actor, day: date, session: str, value: float, text: str,
               accept: bool = True, **extra: Any) -> None:
        s.on(day, lambda: t.report_commitment_progress(
            who, c[key], council_session=session, as_of=day, text=text, value=value, **extra))
        if accept:
            s.on(day, lambda: t.accept_commitment_report(OFFICE, c[key], comment=""), hour=15)

    def moves(ranges: tuple[tuple[int, int, str], ...]) -> dict[str, str]:
        return {p["ref"]: category for first, last, category in ranges
                for p in projects[first:last]}

    def handled(*stages: tuple[tuple[int, int, str], ...]) -> int:
        state = {p["ref"]: NOT_YET for p in projects}
        for stage in stages:
            state.update(moves(stage))
        return sum(1 for cat in state.values() if cat in (OFF_LIST, REVOKED))

    # Mid-year 2026 (before XVII-02): every agency reports.
    mid = date(2026, 6, 25)
    report("stalled", nnmt_staff, mid, "XVII-02", handled(MID_YEAR_MOVES),
           "Đã đưa 120 dự án ra khỏi danh mục, 60 dự án đang hoàn thiện thủ tục, 12 dự án "
           "chấm dứt, thu hồi.", unit="projects", moves=moves(MID_YEAR_MOVES))
    report("land", nnmt_staff, mid, "XVII-02", 48, "Đã thu hồi 48 ha tại 9 dự án.",
           unit="hectares")
    report("housing", xd, mid, "XVII-02", 4, "Đã hoàn thành 04/08 chung cư; 04 chung cư đang thi công.",
           unit="projects")
    report("pollution", nnmt_staff, mid, "XVII-02", 8, "Đã xử lý dứt điểm 8/15 điểm ô nhiễm.",
           unit="items")
    report("compensation", tc, date(2026, 6, 29), "XVII-02", 5240,
           "Đã giải ngân 5.240 tỷ đồng.", unit="billion_dong",
           note="Vượt chỉ tiêu do bổ sung vốn cho dự án Vành đai 4.")
    s.on(date(2026, 6, 30), lambda: t.assess_commitment(
        OFFICE, c["compensation"], outcome="met", text="Giải ngân 5.240/5.000 tỷ đồng, vượt chỉ tiêu.",
        assessed_on=date(2026, 6, 30)))
    s.on(date(2026, 7, 2), lambda: t.assess_commitment(
        OFFICE, c["pollution"], outcome="not_met", text="Mới xử lý 8/15 điểm ô nhiễm.",
        assessed_on=date(2026, 7, 2)))
    # Re-questioned at the mid-year session of term XVII.
    cv3 = s.on(date(2026, 7, 8), lambda: t.hold_questioning_session(
        OFFICE, kind="questioning", council_session="XVII-02", held_on=date(2026, 7, 8),
        topic="Tái chất vấn việc xử lý các điểm ô nhiễm môi trường nghiêm trọng",
        leader_name="Đỗ Văn Thành", leader_position="Phó Chủ tịch UBND Thành phố",
        agency="so-nong-nghiep-va-moi-truong",
        deputies=["Đại biểu Nguyễn Hồng Nhung (Tổ đại biểu số 7)"]).code, hour=15)
    s.conclude(cv3, date(2026, 7, 9), "05/KL-HĐND",
               "Xử lý dứt điểm 7 điểm ô nhiễm còn lại trước 30/11/2026.")
    if cv3:
        c["pollution_again"] = s.on(date(2026, 7, 10), lambda: t.requestion_commitment(
            OFFICE, c["pollution"], questioning=cv3, target_date=date(2026, 11, 30),
            title="Xử lý dứt điểm 15 điểm ô nhiễm môi trường (tái chất vấn)").code)
    report("housing", xd, date(2026, 9, 15), "XVII-03", 8, "Đã hoàn thành 08/08 chung cư.",
           unit="projects")
    s.on(date(2026, 9, 20), lambda: t.assess_commitment(
        OFFICE, c["housing"], outcome="met", text="Hoàn thành 08/08 chung cư, chậm gần 3 tháng.",
        assessed_on=date(2026, 9, 20)))
    s.on(date(2026, 10, 5), lambda: t.drop_commitment(
        OFFICE, c["bus"], reason=("Theo Quy hoạch Thủ đô điều chỉnh, bến xe Giáp Bát chuyển "
                                  "thành điểm trung chuyển: HĐND Thành phố thống nhất thôi theo dõi.")))
    # Year-end 2026 (before XVII-03).
    end_year = date(2026, 11, 25)
    report("stalled", nnmt_staff, end_year, "XVII-03", handled(MID_YEAR_MOVES, YEAR_END_MOVES),
           "Lũy kế đã đưa 170 dự án ra khỏi danh mục, 55 dự án đang hoàn thiện thủ tục, 25 dự "
           "án chấm dứt, thu hồi; 23 dự án chưa xử lý dứt điểm.", unit="projects",
           moves=moves(YEAR_END_MOVES))
    if "pollution_again" in c:
        report("pollution_again", nnmt_staff, end_year, "XVII-03", 13,
               "Đã xử lý dứt điểm 13/15 điểm ô nhiễm; 02 điểm đang xử lý.", unit="items",
               accept=False)
    report("streets", xd, end_year, "XVII-03", 7, "Đã hoàn thành 7/10 tuyến phố.", unit="items")
    # What is late when the demo ends is escalated as the scheduler would have done.
    for code in c.values():
        if code:
            t.escalate_item(code, now=end, actor=SYSTEM)
    return {k: v for k, v in c.items() if v}
