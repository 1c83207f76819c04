"""One term per concept, in a council office's words, on screen, on paper and in the emails.

The Vietnamese catalog, the digest's own words and the escalation email must say the same
thing the same way: "Hội nghị tiếp xúc cử tri", "Chuyển cơ quan có trách nhiệm giải quyết",
"Đồng ý kết quả trả lời" / "Đề nghị trả lời lại, bổ sung", "lần đôn đốc thứ N",
"Trích yếu nội dung", "Số định danh cá nhân/CCCD", and "kiến nghị, đơn thư" for what the
machine calls an item ("mục").
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from petitions.digest import labels as digest_labels
from petitions.notifications.message import compose
from tests.conftest import sqlite_settings

ROOT = Path(__file__).parents[2]
VI_CATALOG = ROOT / "web" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
DIGEST_TEMPLATES = sorted((ROOT / "petitions" / "digest" / "templates").glob("*.html"))

# The words of the glossary, by the English msgid that carries them on screen.
GLOSSARY = {
    "Voter meeting": "Hội nghị tiếp xúc cử tri",
    "Assign to an agency": "Chuyển cơ quan có trách nhiệm giải quyết",
    "Responsible agency": "Cơ quan có trách nhiệm giải quyết",
    "Accept the answer": "Đồng ý kết quả trả lời",
    "Return the answer": "Đề nghị trả lời lại, bổ sung",
    "level {level}": "lần đôn đốc thứ {level}",
    "Title": "Trích yếu nội dung",
    "ID card number": "Số định danh cá nhân/CCCD",
    "Items": "Số kiến nghị, đơn thư",
}
# Old or machine-like wording that must be gone, with why.
RETIRED = {
    r"\bBuổi tiếp xúc": "a voter meeting is a «Hội nghị tiếp xúc cử tri»",
    # "danh mục" (reference data) and "Mục lục" (contents) are other words.
    r"(?i)(?<!\w)(?<!danh )mục(?!\s+lục)(?!\w)": "an item is a «kiến nghị, đơn thư», not a «mục»",
    r"(?i)đôn đốc cấp|cấp đôn đốc|\bcấp \{level\}": "an escalation is a «lần đôn đốc thứ N»",
    r"(?i)chấp nhận trả lời": "the office «đồng ý kết quả trả lời»",
    r"(?i)trả lại (nội dung )?trả lời": "the office «đề nghị trả lời lại, bổ sung»",
    r"(?i)tiêu đề": "a title is the «trích yếu nội dung»",
    r"(?<!Số định danh cá nhân/)CCCD": "the identity number is «Số định danh cá nhân/CCCD»",
    r"(?i)quận/huyện": "a unit is «xã, phường» or «quận, huyện, thị xã», by its era",
    # "Chủ trì" names the lead among several agencies ("3 rõ": chủ trì / phối hợp, issue 13);
    # the office's assignment itself is "chuyển cơ quan có trách nhiệm giải quyết".
    r"(?i)giao cơ quan": "the office «chuyển cơ quan có trách nhiệm giải quyết», it does not «giao»",
}


def catalog() -> dict[str, str]:
    with VI_CATALOG.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def email_text() -> str:
    item = {"code": "KN-2025-00001", "title": "Ngập úng phố Huế"}
    row = {"level": 1, "due_date": date(2025, 3, 5),
           "escalated_at": datetime(2025, 3, 10, 2, tzinfo=timezone.utc)}
    message = compose(sqlite_settings(Path("/nonexistent")), item, row, ["a@hanoi.invalid"],
                      "Sở Xây dựng", timezone.utc)
    return f"{message['Subject']}\n{message.get_content()}"


def digest_words() -> str:
    words = [path.read_text(encoding="utf-8") for path in DIGEST_TEMPLATES]
    words += [value for value in vars(digest_labels).values() if isinstance(value, str)]
    words += list(digest_labels.OUTCOME.values()) + list(digest_labels.KIND.values())
    return "\n".join(words)


def texts() -> dict[str, str]:
    return {"vi catalog": "\n".join(catalog().values()), "digest": digest_words(),
            "email": email_text()}


@pytest.mark.parametrize("msgid", sorted(GLOSSARY))
def test_the_screens_use_the_glossary_term(msgid: str) -> None:
    assert catalog()[msgid] == GLOSSARY[msgid]


@pytest.mark.parametrize("pattern", sorted(RETIRED))
def test_no_retired_wording_is_left_on_screen_on_paper_or_in_emails(pattern: str) -> None:
    for where, text in texts().items():
        found = sorted({match.group(0) for match in re.finditer(pattern, text)})
        assert not found, f"{where}: {found} — {RETIRED[pattern]}"


def test_the_digest_and_the_email_name_the_agency_as_the_screens_do() -> None:
    term = catalog()["Responsible agency"]
    assert term in digest_words()
    assert f"{term}: Sở Xây dựng" in email_text()


def test_the_email_counts_escalations_as_the_screens_do() -> None:
    text = email_text()
    assert "[Lần đôn đốc thứ 1]" in text
    assert "Lần đôn đốc thứ 1 — " in text
    assert f"{catalog()['Title']}: Ngập úng phố Huế" in text


@pytest.mark.parametrize(("kinds", "heading"), [
    ({"quan", "huyen", "thi_xa"}, "Quận, huyện, thị xã"), ({"phuong", "xa"}, "Xã, phường"),
    ({"quan", "phuong"}, "Địa bàn"), ({"quan", None}, "Địa bàn"), (set(), "Địa bàn"),
])
def test_the_digest_heads_its_table_of_units_by_their_kind(kinds: set[str | None],
                                                           heading: str) -> None:
    assert digest_labels.area_label(kinds) == heading


def test_a_commune_or_ward_is_not_named_twice_by_its_kind() -> None:
    reference = {"units": {"00097": {"name": "Phường Hồng Hà", "kind": "phuong"},
                           "ung-hoa": {"name": "Ứng Hòa", "kind": "huyen"}}}
    assert digest_labels.unit_name(reference, "00097", with_kind=True) == "Phường Hồng Hà"
    assert digest_labels.unit_name(reference, "ung-hoa", with_kind=True) == "Huyện Ứng Hòa"
