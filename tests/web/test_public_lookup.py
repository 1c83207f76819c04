"""The citizen's receipt and the public lookup page (issue 18)."""
from __future__ import annotations

import re
import subprocess

import pytest

from petitions import lookup
from tests.web.conftest import log_petition, receive_complaint, rendered
from tests.web.test_notices import answered_item

PERSONAL = ("Trần Văn Bình", "0912345678", "001090001234", "12 Kim Mã", "Nguyễn Văn An",
            "Khiếu nại bồi thường", "Sửa mặt đường Kim Mã", "Ông Bình")


def print_receipt(client, code):
    response = client.post(f"/items/{code}/receipt")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def key_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text).group(0)


@pytest.fixture
def answered_petition(app, tracker):
    return answered_item(app, tracker, text="Đã sửa xong mặt đường.")


def test_the_receipt_carries_the_code_and_a_key_that_opens_the_public_page(
        app, client_as, answered_petition, tmp_path):
    pdf = print_receipt(client_as("district_staff"), answered_petition)
    key = key_of(pdf, tmp_path)

    body = rendered(app.test_client().post(
        "/tra-cuu", data={"code": answered_petition, "key": key.lower()}), answered_petition)

    assert "Đã sửa xong" not in body  # not published yet
    assert len(key) == 19


def test_a_published_answer_shows_and_no_personal_data_for_any_kind(
        app, tracker, client_as, answered_petition, tmp_path):
    complaint = receive_complaint(tracker)
    office = client_as("secretariat")
    office.post(f"/items/{answered_petition}/publish",
                data={"text": "Đã sửa xong mặt đường Kim Mã."})
    visitor = app.test_client()
    for code in (answered_petition, complaint):
        key = key_of(print_receipt(office, code), tmp_path)

        body = rendered(visitor.post("/tra-cuu", data={"code": code, "key": key}), code)

        assert [p for p in PERSONAL if p in body] == []
    page = visitor.post("/tra-cuu", data={"code": answered_petition, "key": key_of(
        print_receipt(office, answered_petition), tmp_path)}).get_data(as_text=True)
    assert "Đã sửa xong mặt đường Kim Mã." in page


def test_a_wrong_key_and_an_unknown_code_get_the_same_answer(app, client_as, tracker,
                                                            tmp_path):
    code = receive_complaint(tracker)
    key_of(print_receipt(client_as("district_staff"), code), tmp_path)
    visitor = app.test_client()

    wrong_key = visitor.post("/tra-cuu", data={"code": code, "key": "AAAA-AAAA-AAAA-AAAA"})
    no_code = visitor.post("/tra-cuu", data={"code": "DT-2025-99999",
                                             "key": "AAAA-AAAA-AAAA-AAAA"})
    no_receipt = visitor.post("/tra-cuu", data={"code": log_petition(tracker),
                                                "key": "AAAA-AAAA-AAAA-AAAA"})

    assert wrong_key.status_code == no_code.status_code == no_receipt.status_code == 404
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong_key) == strip(no_code) == strip(no_receipt)


def test_a_new_receipt_retires_the_old_key(app, client_as, tracker, tmp_path):
    code = receive_complaint(tracker)
    staff = client_as("district_staff")
    old = key_of(print_receipt(staff, code), tmp_path)
    key_of(print_receipt(staff, code), tmp_path)

    assert app.test_client().post("/tra-cuu", data={"code": code, "key": old}).status_code == 404


def test_only_the_hash_of_the_key_is_stored(app, client_as, tracker, tmp_path):
    code = receive_complaint(tracker)
    key = key_of(print_receipt(client_as("district_staff"), code), tmp_path)

    with app.extensions["petitions"].views.engine.connect() as conn:
        [stored] = conn.execute(lookup.lookup_keys.select()).mappings().all()

    assert stored["key_hash"] == lookup.key_hash(key) and key not in str(dict(stored))


def test_look_ups_are_limited(app, tracker):
    code = receive_complaint(tracker)
    visitor = app.test_client()

    answers = [visitor.post("/tra-cuu", data={"code": code, "key": "x"}).status_code
               for _ in range(12)]

    assert answers[:10] == [404] * 10 and answers[-1] == 429


def test_another_districts_staff_cannot_print_a_receipt(client_as, tracker):
    code = receive_complaint(tracker)

    assert client_as("other_district").post(f"/items/{code}/receipt").status_code == 404
    assert client_as("agency_staff").post(f"/items/{code}/receipt").status_code == 403


def test_the_lookup_page_speaks_english_too(app):
    visitor = app.test_client()
    visitor.post("/language", data={"lang": "en"})

    rendered(visitor.get("/tra-cuu"), "Lookup key", 'lang="en"')
    visitor.post("/language", data={"lang": "vi"})
    rendered(visitor.get("/tra-cuu"), "Mã tra cứu")


def test_only_the_office_publishes_and_only_an_answered_item(client_as, tracker):
    code = receive_complaint(tracker)

    refused = client_as("secretariat").post(f"/items/{code}/publish", data={"text": "x"})
    district = client_as("district_staff").post(f"/items/{code}/publish", data={"text": "x"})

    assert refused.status_code == 422 and district.status_code == 403
