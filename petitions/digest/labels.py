"""Vietnamese words printed in digests for stored codes (the web has its own gettext catalog).

Digests are official documents for the council, printed in Vietnamese only; the words match
the web's Vietnamese catalog so a reader meets the same terms on screen and on paper. The
escalation ladder's words are the policy's own (``domain.deadline``), shared with the web
and the emails.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.deadline import DeadlinePolicy

OUTCOME = {
    "resolved": "Đã giải quyết xong",
    "being_resolved": "Đang giải quyết, có lộ trình",
    "explained": "Giải trình, cung cấp thông tin",
    "not_resolved": "Chưa giải quyết",
    "correct": "Khiếu nại, tố cáo đúng",
    "partly_correct": "Đúng một phần",
    "incorrect": "Khiếu nại, tố cáo sai",
    # The rows of items without an accepted outcome (``projections.figures.answer_result``).
    "awaiting_review": "Đã trả lời, chờ xem xét câu trả lời",
    "": "Chưa trả lời",
    "ended": "Kết thúc, không có trả lời",  # withdrawn, closed, forwarded, guided, filed
}
# Order of the answer-result table: the four petition outcomes, complaint results, then the
# items without an accepted outcome; every raised item is in exactly one row.
OUTCOME_ORDER = ("resolved", "being_resolved", "explained", "not_resolved", "correct",
                 "partly_correct", "incorrect", "awaiting_review", "", "ended")
KIND = {
    "petition": "Kiến nghị cử tri", "complaint": "Khiếu nại", "denunciation": "Tố cáo",
    "reflection": "Kiến nghị, phản ánh",
}
UNIT_KIND = {"quan": "Quận", "huyen": "Huyện", "thi_xa": "Thị xã", "phuong": "Phường", "xa": "Xã"}
NO_FIELD = "Chưa phân loại lĩnh vực"
NO_AGENCY = "Chưa chuyển cơ quan có trách nhiệm giải quyết"
CITY = "Toàn Thành phố Hà Nội"
# From 1 July 2025 Hanoi has communes and wards, no districts (NQ 1656/NQ-UBTVQH15): a table of
# units is headed by the kind of the units it lists (the web's labels use the same kinds).
COMMUNE_KINDS = frozenset({"phuong", "xa"})
DISTRICT_KINDS = frozenset({"quan", "huyen", "thi_xa"})
AREA_BEFORE, AREA_AFTER, AREA_ANY = "Quận, huyện, thị xã", "Xã, phường", "Địa bàn"


def area_label(kinds: Iterable[str | None]) -> str:
    """Return the heading of a table of units of these kinds: one era's words, or "Địa bàn"
    when it mixes both eras or a kind is unknown."""
    found = set(kinds)
    if found and found <= COMMUNE_KINDS:
        return AREA_AFTER
    if found and found <= DISTRICT_KINDS:
        return AREA_BEFORE
    return AREA_ANY


def notified(policy: DeadlinePolicy, level: int) -> str:
    """Return who ladder ``level`` told, in the policy's Vietnamese (a narrow column's words)."""
    try:
        words = policy.step(level).notified.vi
    except KeyError:
        return ""
    return words[:1].upper() + words[1:]  # a table cell starts with a capital


def ref_name(reference: dict[str, dict[str, dict[str, Any]]], section: str, code: str | None,
             default: str = "") -> str:
    """Return the Vietnamese name of a reference entry (its code when unknown)."""
    if not code:
        return default
    entry = reference.get(section, {}).get(code) or {}
    return str(entry.get("name_vi") or entry.get("name") or code)


def unit_name(reference: dict[str, dict[str, dict[str, Any]]], code: str,
              with_kind: bool = False) -> str:
    """Return a unit's name, optionally prefixed with its kind ("Huyện Ứng Hòa")."""
    name = ref_name(reference, "units", code, code)
    if not with_kind:
        return name
    kind = UNIT_KIND.get(str((reference.get("units", {}).get(code) or {}).get("kind", "")))
    # The communes' and wards' names already carry their kind ("Phường Hồng Hà").
    return f"{kind} {name}" if kind and not name.startswith(kind + " ") else name
