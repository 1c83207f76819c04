"""Schemathesis against /api/openapi.json with a test token, on SQLite: 0 server errors.

Bounded: a fixed number of examples per operation, derandomized, so every run draws the
same requests and takes the same time on any machine (issue 18).
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from tests.web.conftest import SECRETARIAT, log_petition

EXAMPLES = 5


@pytest.fixture
def api_schema(app):
    tracker = app.extensions["petitions"].tracker
    code = log_petition(tracker)  # KN-2025-00001, the example code of the description
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 4, 30))
    app.config["API_TOKEN"] = app.extensions["petitions_tokens"].create(
        "thu.ky", "fuzz", created_by="admin",
        now=datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)).secret
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_generated_request_without_a_server_error(case, app):
    response = case.call(headers={"Authorization": f"Bearer {app.config['API_TOKEN']}"})

    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])


@pytest.fixture
def admin_schema(app):
    app.config["API_TOKEN"] = app.extensions["petitions_tokens"].create(
        "admin", "fuzz", created_by="admin",
        now=datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)).secret
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


# The administrator's operations, with an administrator's token: the secretariat's token
# above only ever reaches their 403.
admin_operations = schemathesis.pytest.from_fixture("admin_schema").include(
    path_regex="^/api/admin/")


@admin_operations.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_the_admin_operations_answer_an_admin_token_without_a_server_error(case, app):
    response = case.call(headers={"Authorization": f"Bearer {app.config['API_TOKEN']}"})

    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
