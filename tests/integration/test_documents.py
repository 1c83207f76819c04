"""Documents and attachments through the application, on SQLite and PostgreSQL.

Files are kept by hash in the configured store; the document register's view lists what
was registered; who may fetch a file follows the item it belongs to.
"""
from __future__ import annotations

import subprocess
from datetime import date

import pytest

from domain.errors import InvalidInput, PermissionDenied
from petitions.blobstore import BlobNotFound, DatabaseBlobStore, FileBlobStore, digest
from petitions.documents import DocumentNotFound
from projections.documents import search_documents
from tests import sample_files as files
from tests.conftest import (
    BA_DINH_STAFF, DEPUTY, HOAN_KIEM_STAFF, SECRETARIAT, XAY_DUNG_STAFF,
)
from tests.integration.escalation_helpers import assigned_petition, hanoi, runtime_for


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


@pytest.fixture(params=["files", "database"])
def store(request, settings, runtime, tmp_path):
    if request.param == "files":
        return FileBlobStore(tmp_path / "blobs")
    return DatabaseBlobStore(runtime.views.engine)


def test_a_store_gives_back_the_bytes_under_their_hash_and_keeps_them_once(store):
    data = files.png_image()

    first, second = store.put(data), store.put(data)

    assert first == second == digest(data)
    assert store.get(first) == data and store.has(first)


def test_a_store_knows_no_unknown_or_malformed_hash(store):
    assert not store.has("0" * 64) and not store.has("../../etc/passwd")
    with pytest.raises(BlobNotFound):
        store.get("../" + "a" * 61)


def answered_with_letter(runtime, clock):
    tracker = runtime.tracker
    clock.set(hanoi(date(2025, 3, 3)))
    code = assigned_petition(tracker, date(2025, 3, 28)).code
    clock.set(hanoi(date(2025, 3, 12)))
    receipt = tracker.answer_with_letter(
        XAY_DUNG_STAFF, code, outcome="resolved", text="Sở đã sửa xong mặt đường.",
        letter_no="45", letter_sign="SXD-QLHT", letter_date=date(2025, 3, 10),
        signer="Nguyễn Văn B", file_data=files.letter_pdf(), filename="cv45.pdf")
    runtime.wait_for(receipt)
    return code


def test_an_agency_answers_with_its_letter_and_the_deputy_sees_number_date_and_file(
        runtime, clock):
    code = answered_with_letter(runtime, clock)

    item = runtime.tracker.get_item(DEPUTY, code)
    history = runtime.tracker.history(DEPUTY, code)
    linked = [e for e in history if e["type"] == "DocumentLinked"][0]["facts"]
    data, media_type, _ = runtime.tracker.item_file(
        DEPUTY, code, linked["document"]["file"]["sha256"], preview=True)

    assert item["status"] == "answered"
    assert linked["document"]["reference"] == "45/SXD-QLHT"
    assert linked["document"]["issued_on"] == date(2025, 3, 10)
    assert linked["purpose"] == "answer"
    assert media_type == "image/png" and data.startswith(b"\x89PNG")


def test_another_districts_staff_cannot_get_the_file(runtime, clock):
    code = answered_with_letter(runtime, clock)
    sha = [e for e in runtime.tracker.history(SECRETARIAT, code)
           if e["type"] == "DocumentLinked"][0]["facts"]["document"]["file"]["sha256"]

    with pytest.raises(DocumentNotFound):
        runtime.tracker.item_file(HOAN_KIEM_STAFF, code, sha)
    assert runtime.tracker.item_file(BA_DINH_STAFF, code, sha)[1] == "application/pdf"


def test_the_register_lists_the_reply_letter_and_finds_it_by_its_words(runtime, clock):
    code = answered_with_letter(runtime, clock)

    with runtime.views.connect() as conn:
        found = search_documents(conn, scope={}, words="mat duong")
        in_ba_dinh = search_documents(conn, scope={"district": "ba-dinh"})
        in_hoan_kiem = search_documents(conn, scope={"district": "hoan-kiem"})

    assert [(d["reference"], d["direction"], d["item_codes"]) for d in found] == [
        ("45/SXD-QLHT", "incoming", [code])]
    assert len(in_ba_dinh) == 1 and in_hoan_kiem == []


def test_a_bad_letter_leaves_the_item_unanswered(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 28)).code

    with pytest.raises(InvalidInput) as caught:
        tracker.answer_with_letter(
            XAY_DUNG_STAFF, code, outcome="resolved", text="Đã sửa.", letter_no="45",
            letter_date=date(2025, 3, 1), file_data=files.pdf_with_javascript(),
            filename="cv.pdf")

    assert set(caught.value.errors) == {"file"}
    assert tracker.get_item(SECRETARIAT, code)["status"] == "assigned"


def test_a_file_with_personal_data_is_not_given_to_a_deputy(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 28)).code
    tracker.attach_file(BA_DINH_STAFF, code, data=files.jpeg_image(), filename="bien-ban.jpg",
                        personal=True)
    sha = tracker.get_item(SECRETARIAT, code)  # noqa: F841 (the item still reads)
    sha = digest(files.jpeg_image())

    with pytest.raises(DocumentNotFound):
        tracker.item_file(DEPUTY, code, sha)
    assert tracker.item_file(BA_DINH_STAFF, code, sha)[1] == "image/jpeg"


def test_a_deputy_may_not_attach_files(runtime, clock):
    code = assigned_petition(runtime.tracker, date(2025, 3, 28)).code

    with pytest.raises(PermissionDenied):
        runtime.tracker.attach_file(DEPUTY, code, data=files.png_image(), filename="a.png")


def test_one_urging_letter_lists_every_item_of_one_agency_and_names_them_in_pdftotext(
        runtime, clock, tmp_path):
    tracker = runtime.tracker
    clock.set(hanoi(date(2025, 3, 3)))
    codes = [assigned_petition(tracker, date(2025, 3, 14), title=f"Sửa đường số {n}").code
             for n in (1, 2)]
    clock.set(hanoi(date(2025, 3, 24)))

    result = tracker.issue_urging_letters(SECRETARIAT, [*codes, "KN-2025-99999"],
                                          signer="Trần Thị C")

    assert [r["code"] for r in result["refused"]] == ["KN-2025-99999"]
    (letter,) = result["issued"]
    assert letter["reference"] == "1/VP-HĐND" and letter["item_codes"] == codes
    pdf, media_type, _ = tracker.document_file(SECRETARIAT, letter["id"])
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Số: 1/VP-HĐND" in text and "ngày 24 tháng 03 năm 2025" in text
    assert "Kính gửi: Sở Xây dựng" in text
    assert all(code in text for code in codes) and "Sửa đường số 2" in text
    events = [e["type"] for e in tracker.history(SECRETARIAT, codes[0])]
    assert events[-1] == "DocumentLinked"


def test_letters_are_numbered_in_one_sequence_per_year(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 14)).code

    first = tracker.issue_urging_letter(SECRETARIAT, code)
    second = tracker.issue_urging_letter(SECRETARIAT, code)

    assert (first["number"], second["number"]) == ("1", "2")


def test_an_agency_cannot_issue_urging_letters(runtime, clock):
    code = assigned_petition(runtime.tracker, date(2025, 3, 14)).code

    with pytest.raises(PermissionDenied):
        runtime.tracker.issue_urging_letters(XAY_DUNG_STAFF, [code])


def test_a_registered_decision_is_linked_to_its_items_and_registered_once(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 14)).code
    data = {"number": "12", "sign": "QĐ-UBND", "issued_on": date(2025, 3, 1),
            "issuer": "UBND quận Ba Đình", "doc_type": "quyet_dinh", "direction": "incoming",
            "summary": "Quyết định giải quyết", "item_codes": [code]}

    doc = tracker.register_document(SECRETARIAT, data, file_data=files.xlsx_file(),
                                    filename="qd.xlsx", purpose="decision")

    assert doc["reference"] == "12/QĐ-UBND" and doc["file"]["media_type"].endswith("sheet")
    with pytest.raises(InvalidInput) as caught:
        tracker.register_document(SECRETARIAT, data)
    assert "number" in caught.value.errors


def test_an_extension_decision_becomes_a_document_of_the_register(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 14)).code

    receipt = tracker.extend_deadline_documented(
        SECRETARIAT, code, new_due_date=date(2025, 4, 30), reason="Cần khảo sát thêm",
        decision_no="7/QĐ-VP", decision_date=date(2025, 3, 3),
        file_data=files.letter_pdf("Quyết định gia hạn"), filename="qd7.pdf")
    runtime.wait_for(receipt)

    item = tracker.get_item(SECRETARIAT, code)
    (linked,) = tracker.item_files(SECRETARIAT, code)["documents"]
    assert item["due_date"] == date(2025, 4, 30)
    assert item["extension_decision"]["decision_no"] == "7/QĐ-VP"  # the old field still reads
    assert (linked["reference"], linked["doc_type"], linked["purpose"]) == (
        "7/QĐ-VP", "quyet_dinh", "extension")


def test_a_bad_decision_file_leaves_the_deadline_as_it_was(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 14)).code

    with pytest.raises(InvalidInput):
        tracker.extend_deadline_documented(
            SECRETARIAT, code, new_due_date=date(2025, 4, 30), reason="Khảo sát",
            decision_no="8/QĐ-VP", decision_date=date(2025, 3, 3),
            file_data=files.renamed_executable(), filename="qd.pdf")

    assert tracker.get_item(SECRETARIAT, code)["due_date"] == date(2025, 3, 14)


def test_a_refused_extension_names_the_domain_rule_before_the_document(runtime, clock):
    tracker = runtime.tracker
    code = assigned_petition(tracker, date(2025, 3, 14)).code

    # Both are wrong: the new deadline is earlier than the current one, the decision is dated
    # years ahead. The domain's refusal (naming the deadline) is the one the user reads.
    with pytest.raises(InvalidInput) as caught:
        tracker.extend_deadline_documented(
            SECRETARIAT, code, new_due_date=date(2025, 3, 1), reason="Khảo sát",
            decision_no="9/QĐ-VP", decision_date=date(2030, 1, 1))

    assert caught.value.errors["new_due_date"] == [
        "The new due date must be after the current one."]
    assert tracker.get_item(SECRETARIAT, code)["due_date"] == date(2025, 3, 14)
    assert tracker.item_files(SECRETARIAT, code)["documents"] == []


def test_a_forwarded_don_gets_its_transfer_slip_and_its_result_notice_is_registered(
        runtime, clock):
    from tests.integration import receive_complaint

    tracker = runtime.tracker
    code = receive_complaint(tracker).code

    tracker.forward_with_slip(SECRETARIAT, code, to_body="UBND phường Ba Đình",
                              reason="Thuộc thẩm quyền")
    tracker.record_result_notice_documented(
        SECRETARIAT, code, notice_no="5/TB-UBND", notice_date=date(2025, 3, 3),
        summary="Đã giải quyết xong.")

    docs = tracker.item_files(SECRETARIAT, code)["documents"]
    assert [(d["doc_type"], d["purpose"]) for d in docs] == [
        ("phieu_chuyen", "transfer"), ("thong_bao", "result_notice")]
    assert docs[0]["reference"].endswith("/PC-VP") and docs[1]["issuer"] == "UBND phường Ba Đình"
    assert tracker.item_files(DEPUTY, code)["documents"] == docs[1:]  # the slip is personal
