"""The demo's official documents: agencies' reply letters, urging letters, transfer slips.

After the stories are lived, the office's register is filled as a council office's would be:
the reply letters (công văn trả lời) of some answered petitions registered as incoming
documents with their PDF, linked to the petition; urging letters (công văn đôn đốc) issued to
the agencies of overdue items, one per agency, numbered from the register; the transfer slips
(phiếu chuyển đơn) of forwarded đơn. Every one goes through the tracker's commands, so the
register, the items' histories and the files are what real use would leave.
"""
from __future__ import annotations

import random
from datetime import date
from typing import Any

from domain.errors import DomainError
from petitions.demo.stories import SECRETARIAT
from petitions.letters import render_reply_letter

REPLY_LETTERS = 12
URGED_AGENCIES, URGED_PER_LETTER = 3, 4
TRANSFER_SLIPS = 6
# Agency signs of reference (ký hiệu) for the demo's reply letters; others use "CV".
SIGNS = {"so-xay-dung": "SXD-QLXD", "so-giao-thong-van-tai": "SGTVT-QLKCHT",
         "so-y-te": "SYT-KHTC", "so-tai-nguyen-va-moi-truong": "STNMT-QLĐĐ",
         "so-nong-nghiep-va-moi-truong": "SNNMT-QLĐĐ", "so-giao-duc-va-dao-tao": "SGDĐT-KHTC",
         "cong-an-thanh-pho": "CAHN-PV01"}
SIGNERS = ("Nguyễn Văn Thành", "Trần Thị Minh Hằng", "Lê Đức Anh", "Phạm Quốc Hưng",
           "Đỗ Thị Thu Trang", "Vũ Mạnh Cường")


def load_documents(tracker: Any, codes: list[str], seed: int = 2026) -> dict[str, int]:
    """Register and issue the demo's documents for the items ``codes``; return the counts."""
    rng = random.Random(seed)
    office = SECRETARIAT[0]
    items = [tracker.get_item(office, code) for code in codes]
    counts = {"reply_letters": 0, "urging_letters": 0, "transfer_slips": 0}
    answered = [i for i in items if i["kind"] == "petition" and i["agency"]
                and i["status"] in ("answered", "explained", "being_resolved", "not_resolved")]
    for item in rng.sample(answered, min(REPLY_LETTERS, len(answered))):
        counts["reply_letters"] += _reply_letter(tracker, office, item, rng)
    # The office urges the agencies with the most overdue items, several items a letter.
    overdue: dict[str, list[str]] = {}
    for i in items:
        if i["is_open"] and i["agency"] and i.get("overdue"):
            overdue.setdefault(i["agency"], []).append(i["code"])
    worst = sorted(overdue, key=lambda a: (-len(overdue[a]), a))[:URGED_AGENCIES]
    chosen = [code for agency in worst for code in overdue[agency][:URGED_PER_LETTER]]
    if chosen:
        result = tracker.issue_urging_letters(office, chosen, signer="Nguyễn Thị Hồng Vân")
        counts["urging_letters"] = len(result["issued"])
    forwarded = [i for i in items if i["status"] == "forwarded"]
    for item in rng.sample(forwarded, min(TRANSFER_SLIPS, len(forwarded))):
        try:
            tracker.issue_transfer_slip(office, item["code"], signer="Nguyễn Thị Hồng Vân")
            counts["transfer_slips"] += 1
        except DomainError:
            continue
    return counts


def _reply_letter(tracker: Any, office: Any, item: dict[str, Any], rng: random.Random) -> int:
    """Register the agency's reply letter to ``item``'s latest answer, with its PDF."""
    answers = [e for e in tracker.history(office, item["code"]) if e["type"] == "AnswerRecorded"]
    if not answers:
        return 0
    answer = answers[-1]
    day: date = answer["at"].astimezone(tracker.zone).date()
    agency = tracker.reference()["agencies"].get(item["agency"], {})
    issuer = agency.get("name_vi") or agency.get("name") or item["agency"]
    committee = issuer.lower().startswith(("ubnd", "ủy ban nhân dân"))
    number = str(rng.randint(120, 4800))
    sign = SIGNS.get(item["agency"], "UBND-VP" if committee else "CV")
    signer = rng.choice(SIGNERS)
    pdf = render_reply_letter(number=number, sign=sign, issued_on=day, issuer=issuer,
                              code=item["code"], title=item["title"],
                              answer=str(answer["facts"].get("text") or ""), signer=signer)
    try:
        tracker.register_document(office, {
            "number": number, "sign": sign, "issued_on": day, "issuer": issuer,
            "doc_type": "cong_van", "direction": "incoming", "signer": signer,
            "summary": f"V/v trả lời kiến nghị cử tri {item['code']}: {item['title']}"[:400],
            "item_codes": [item["code"]]},
            file_data=pdf, filename=f"cong-van-{number}-{sign}.pdf", purpose="answer")
    except DomainError:
        return 0
    return 1
