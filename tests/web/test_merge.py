"""Merging a duplicate petition: the survivor's code is checked beside the field."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import log_petition, receive_complaint


def merge(client: Any, code: str, survivor: str) -> Any:
    """Post the merge form of ``code`` naming ``survivor``."""
    return client.post(f"/items/{code}/do/merge",
                       data={"survivor": survivor, "reason": "Trùng", "expected_version": "1"})


@pytest.mark.parametrize("typed", ["ZZZ", "closed"])  # "closed" is also a status name
def test_an_unknown_survivor_is_reported_in_vietnamese_beside_the_field(
        app: Flask, tracker: Any, client_as: Any, typed: str) -> None:
    code = log_petition(tracker)

    response = merge(client_as("secretariat"), code, typed)

    assert response.status_code == 422
    assert f'id="survivor-error">Không tìm thấy kiến nghị, đơn thư {typed}.' in response.text


def test_a_complaint_named_as_survivor_is_reported_beside_the_field(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    complaint = receive_complaint(tracker)

    response = merge(client_as("secretariat"), code, complaint)

    assert response.status_code == 422
    assert 'id="survivor-error">' in response.text
