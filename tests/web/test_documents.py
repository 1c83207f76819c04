"""The document register, files and urging letters in the web app (issue 17)."""
from __future__ import annotations

import io
from datetime import date

from tests import sample_files as files
from tests.web.conftest import SECRETARIAT, catch_up, log_petition, rendered


def assigned(tracker) -> str:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 28))
    return code


def answer_with_letter(client, tracker, code: str, data: bytes, name: str = "cv45.pdf"):
    version = tracker.get_item(SECRETARIAT, code)["version"]
    return client.post(f"/items/{code}/do/answer", data={
        "expected_version": str(version), "outcome": "resolved", "text": "Đã sửa xong.",
        "letter_no": "45", "letter_sign": "SXD-QLHT", "letter_date": "2025-03-01",
        "signer": "Nguyễn Văn B", "file": (io.BytesIO(data), name),
    }, content_type="multipart/form-data")


def test_an_agency_answers_with_its_letter_and_the_deputy_sees_its_number_date_and_preview(
        app, tracker, client_as):
    code = assigned(tracker)

    response = answer_with_letter(client_as("agency_staff"), tracker, code, files.letter_pdf())

    assert response.status_code == 303
    page = rendered(client_as("deputy").get(f"/items/{code}"), "45/SXD-QLHT", "01/03/2025")
    sha = tracker.item_files(SECRETARIAT, code)["documents"][0]["file"]["sha256"]
    assert f"/items/{code}/files/{sha}/preview" in page
    preview = client_as("deputy").get(f"/items/{code}/files/{sha}/preview")
    assert preview.status_code == 200 and preview.mimetype == "image/png"


def test_another_districts_staff_gets_404_on_the_file(app, tracker, client_as):
    code = assigned(tracker)
    answer_with_letter(client_as("agency_staff"), tracker, code, files.letter_pdf())
    sha = tracker.item_files(SECRETARIAT, code)["documents"][0]["file"]["sha256"]

    other = client_as("other_district")

    assert other.get(f"/items/{code}/files/{sha}").status_code == 404
    assert other.get(f"/items/{code}/files/{sha}/preview").status_code == 404
    own = client_as("district_staff").get(f"/items/{code}/files/{sha}")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert own.headers["Content-Disposition"].startswith("attachment;")


def test_a_renamed_executable_is_refused_beside_the_file_field_and_nothing_is_saved(
        app, tracker, client_as):
    code = assigned(tracker)

    response = answer_with_letter(client_as("agency_staff"), tracker, code,
                                  files.renamed_executable(), "cong-van.pdf")

    assert response.status_code == 422
    assert "PDF" in response.get_data(as_text=True)
    assert tracker.get_item(SECRETARIAT, code)["status"] == "assigned"


def test_a_file_over_the_limit_is_cut_off_with_the_limit_named(app, tracker, client_as):
    code = assigned(tracker)
    app.config["SETTINGS"] = app.config["SETTINGS"].with_(attachment_max_mb=1)

    response = client_as("agency_staff").post(
        f"/items/{code}/attach", data={"file": (io.BytesIO(files.big_scan(3)), "scan.pdf")},
        content_type="multipart/form-data")

    assert response.status_code == 413
    assert "1 MB" in response.get_data(as_text=True)


def test_a_zip_bomb_attached_as_xlsx_is_refused(app, tracker, client_as):
    code = assigned(tracker)

    response = client_as("agency_staff").post(
        f"/items/{code}/attach", data={"file": (io.BytesIO(files.zip_bomb_xlsx()), "ds.xlsx")},
        content_type="multipart/form-data")

    assert response.status_code == 422
    assert tracker.item_files(SECRETARIAT, code)["attachments"] == []


def test_a_deputy_is_offered_no_attach_form_and_may_not_post_one(app, tracker, client_as):
    code = assigned(tracker)

    page = rendered(client_as("deputy").get(f"/items/{code}"))
    response = client_as("deputy").post(
        f"/items/{code}/attach", data={"file": (io.BytesIO(files.png_image()), "a.png")},
        content_type="multipart/form-data")

    assert "attach-file" not in page
    assert response.status_code == 403


def test_the_office_urges_from_the_agencys_overdue_list_and_the_letter_is_registered(
        app, tracker, client_as, clock):
    from tests.integration.escalation_helpers import hanoi

    code = assigned(tracker)
    clock.set(hanoi(date(2025, 4, 2)))
    catch_up(app)
    office = client_as("secretariat")

    listed = rendered(office.get("/documents/urge?agency=so-xay-dung"), code)
    response = office.post("/documents/urge", data={"agency": "so-xay-dung", "codes": [code],
                                                     "signer": "Trần Thị C"})

    assert response.status_code == 303
    assert 'name="codes"' in listed
    register = rendered(office.get("/documents?direction=outgoing"), "1/VP-HĐND", code)
    assert "Sở Xây dựng" in register or "VP-HĐND" in register
    history = rendered(office.get(f"/items/{code}"), "1/VP-HĐND")
    assert history


def test_the_register_lists_for_an_agency_only_documents_of_its_items(app, tracker, client_as):
    code = assigned(tracker)
    answer_with_letter(client_as("agency_staff"), tracker, code, files.letter_pdf())
    catch_up(app)

    own = rendered(client_as("agency_staff").get("/documents"), "45/SXD-QLHT")
    other = rendered(client_as("other_district").get("/documents"))

    assert own and "45/SXD-QLHT" not in other


def test_the_office_registers_a_decision_for_an_item(app, tracker, client_as):
    code = assigned(tracker)
    office = client_as("secretariat")

    response = office.post("/documents/new", data={
        "direction": "incoming", "doc_type": "quyet_dinh", "number": "12", "sign": "QĐ-UBND",
        "issued_on": "2025-03-01", "issuer": "UBND quận Ba Đình", "summary": "Quyết định",
        "item_codes": code, "purpose": "decision",
        "file": (io.BytesIO(files.png_image()), "qd.png")}, content_type="multipart/form-data")

    assert response.status_code == 303
    rendered(office.get(response.headers["Location"]), "12/QĐ-UBND", code)


def test_a_register_form_with_an_unknown_code_says_so_and_registers_nothing(app, tracker,
                                                                           client_as):
    response = client_as("secretariat").post("/documents/new", data={
        "direction": "incoming", "doc_type": "quyet_dinh", "number": "12",
        "issued_on": "2025-03-01", "issuer": "UBND", "summary": "x",
        "item_codes": "KN-2025-99999"})

    assert response.status_code == 422
    assert "KN-2025-99999" in response.get_data(as_text=True)


def test_an_agency_may_not_open_the_register_form(app, client_as):
    assert client_as("agency_staff").get("/documents/new").status_code == 403
    assert client_as("agency_staff").post("/documents/urge", data={}).status_code == 403


def test_the_office_urges_one_item_from_its_page(app, tracker, client_as):
    code = assigned(tracker)
    office = client_as("secretariat")

    response = office.post(f"/items/{code}/urge", data={"signer": "Trần Thị C"})

    assert response.status_code == 303 and "/documents/" in response.headers["Location"]
    rendered(office.get(response.headers["Location"]), "1/VP-HĐND", code, "Sở Xây dựng")


def test_a_don_forwarded_from_its_page_gets_its_transfer_slip(app, tracker, client_as):
    from tests.web.conftest import receive_complaint

    code = receive_complaint(tracker)
    version = tracker.get_item(SECRETARIAT, code)["version"]

    response = client_as("secretariat").post(f"/items/{code}/do/forward", data={
        "expected_version": str(version), "to_body": "UBND phường Ba Đình",
        "reason": "Thuộc thẩm quyền"})

    assert response.status_code == 303
    (slip,) = tracker.item_files(SECRETARIAT, code)["documents"]
    assert slip["doc_type"] == "phieu_chuyen" and slip["reference"] == "1/PC-VP"
    again = client_as("secretariat").post(f"/items/{code}/transfer-slip", data={})
    assert again.status_code == 303


def test_a_register_form_without_item_codes_names_the_field(app, client_as):
    response = client_as("secretariat").post("/documents/new", data={
        "direction": "incoming", "doc_type": "quyet_dinh", "number": "12",
        "issued_on": "2025-03-01", "issuer": "UBND", "summary": "x", "item_codes": "\r\n"})

    assert response.status_code == 422
    assert "item_codes-error" in response.get_data(as_text=True) or \
        "ít nhất một mã" in response.get_data(as_text=True)
