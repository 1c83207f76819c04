"""The admin pages of the official calendar and the deadline policy."""
from __future__ import annotations

import pytest

@pytest.fixture
def admin(client_as):
    return client_as("admin")


def test_the_calendar_page_lists_the_2026_swap_with_its_document(admin) -> None:
    page = admin.get("/admin/calendar").get_data(as_text=True)

    assert "02/01/2026" in page and "12729/VPCP-KGVX" in page


def test_an_admin_records_a_working_saturday_and_sees_it_in_the_history(admin) -> None:
    response = admin.post("/admin/calendar", data={
        "day": "07/11/2026", "kind": "working_day", "name": "Làm bù",
        "document": "Công văn 1/VPCP-KGVX"})

    assert response.status_code == 303
    page = admin.get("/admin/calendar").get_data(as_text=True)
    history = page.split('<h2>', 3)[-1]
    assert "07/11/2026" in history and "admin" in history


def test_a_calendar_day_without_its_document_is_refused_beside_the_field(admin) -> None:
    response = admin.post("/admin/calendar", data={
        "day": "07/11/2026", "kind": "working_day", "name": "Làm bù", "document": ""})

    assert response.status_code == 422
    assert 'id="document-error"' in response.get_data(as_text=True)


def test_a_secretariat_user_cannot_open_the_calendar_admin(client_as) -> None:
    assert client_as("secretariat").get("/admin/calendar").status_code == 403


def test_the_policy_page_names_both_versions_and_labels_council_practice(admin) -> None:
    page = admin.get("/admin/policy").get_data(as_text=True)

    assert "136/2025/QH15" in page and "01/07/2026" in page
    assert "72/2025" in page


def test_an_admin_adds_a_policy_version_with_one_limit_changed(admin) -> None:
    form = {"code": "2027", "name": "Quy định thử", "effective_from": "04/01/2027",
            "basis": "Nghị định 1/2027/NĐ-CP", "limits.classify.amount": "15",
            "limits.classify.unit": "working_days", "limits.classify.basis": "Nghị định 1/2027"}

    response = admin.post("/admin/policy", data=form)

    assert response.status_code == 303
    page = admin.get("/admin/policy").get_data(as_text=True)
    assert "Quy định thử" in page and "04/01/2027" in page


def test_a_version_with_a_bad_limit_is_refused_beside_that_limit(admin) -> None:
    form = {"code": "2027", "name": "Quy định thử", "effective_from": "04/01/2027",
            "basis": "Nghị định 1/2027/NĐ-CP", "limits.classify.amount": "-3",
            "limits.classify.unit": "working_days", "limits.classify.basis": "x"}

    response = admin.post("/admin/policy", data=form)

    assert response.status_code == 422
    assert 'id="limits_classify_amount-error"' in response.get_data(as_text=True)
