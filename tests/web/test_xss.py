"""Script payloads typed into any text field are shown as text, never run."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import COMPLAINT, PETITION, SECRETARIAT, log_petition, rendered

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
# Phone and ID number allow only 40 characters.
SHORT = "<script>alert(1)</script>"
SHORT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PETITION_TEXT = ["meeting_place", "title", "content", "voters"]
COMPLAINT_TEXT = ["title", "content", "subject", "petitioner_name", "petitioner_address",
                  "petitioner_phone", "petitioner_id_number"]


# (form, data, field, payload, escaped): every text field of both new-item forms.
NEW_ITEM_TEXT = (
    [("/petitions/new", PETITION, f, PAYLOAD, ESCAPED) for f in PETITION_TEXT]
    + [("/complaints/new", COMPLAINT, f, SHORT, SHORT_ESCAPED) for f in COMPLAINT_TEXT])


@pytest.mark.parametrize(("form", "data", "field", "payload", "escaped"), NEW_ITEM_TEXT,
                         ids=[f"{case[0].split('/')[1]}-{case[2]}" for case in NEW_ITEM_TEXT])
def test_text_of_a_new_item_is_escaped_on_the_item_page(
        app: Flask, client_as: Any, form: str, data: dict[str, str], field: str, payload: str,
        escaped: str) -> None:
    client = client_as("district_staff")
    saved = client.post(form, data={**data, field: payload})

    page = client.get(saved.location)

    assert payload not in page.text
    assert escaped in page.text


@pytest.mark.parametrize("field", PETITION_TEXT)
def test_petition_text_is_escaped_when_the_form_is_shown_again(app: Flask, client_as: Any,
                                                               field: str) -> None:
    data = {**PETITION, field: PAYLOAD, "meeting_date": "not a date"}

    page = client_as("district_staff").post("/petitions/new", data=data)

    assert page.status_code == 422
    assert ESCAPED in page.text  # the form really came back, with the text as typed
    assert PAYLOAD not in page.text


@pytest.mark.parametrize(("action", "field"), [
    ("withdraw", "reason"), ("classify", "note"), ("assign", "note"), ("park", "reason"),
])
def test_action_text_is_escaped_in_the_timeline(app: Flask, tracker: Any, client_as: Any,
                                                action: str, field: str) -> None:
    code = log_petition(tracker)
    data = {field: PAYLOAD, "expected_version": "1", "field": "transport",
            "competence": "city", "agency": "so-xay-dung"}
    client = client_as("secretariat")
    client.post(f"/items/{code}/do/{action}", data=data)

    page = client.get(f"/items/{code}")

    assert PAYLOAD not in page.text
    assert ESCAPED in page.text


def test_progress_note_is_escaped_in_the_timeline(app: Flask, tracker: Any,
                                                  client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
    client = client_as("agency_staff")
    client.post(f"/items/{code}/do/progress", data={"text": PAYLOAD, "expected_version": "2"})

    page = client.get(f"/items/{code}")

    assert ESCAPED in page.text


def test_search_words_are_escaped(app: Flask, client_as: Any) -> None:
    page = client_as("deputy").get("/items", query_string={"q": PAYLOAD[:60]})

    assert ESCAPED in rendered(page)  # the words are shown back, as text
    assert "<script>alert" not in page.text


@pytest.mark.parametrize("page", ["/items", "/queues/secretariat"])
def test_a_title_is_escaped_in_the_table_of_items(app: Flask, client_as: Any, page: str) -> None:
    client_as("district_staff").post("/petitions/new", data={**PETITION, "title": PAYLOAD})

    shown = client_as("secretariat").get(page)

    assert shown.status_code == 200
    assert PAYLOAD not in shown.text
    assert f'class="title">{ESCAPED}' in shown.text
