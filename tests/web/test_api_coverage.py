"""Every form action of the web UI has an API twin (issue 18), or a stated reason it has none."""
from __future__ import annotations

import re

import pytest

from web.actions import FORMS

# web endpoint (a form's POST) → the API operation doing the same through the same method
TWINS = {
    "petitions.create": ("POST", "/api/petitions"),
    "complaints.create": ("POST", "/api/complaints"),
    "items.act": ("POST", "/api/items/<ref>/actions/<name>"),
    "items.follow": ("POST", "/api/items/<ref>/follow"),
    "items.unfollow": ("DELETE", "/api/items/<ref>/follow"),
    "public.publish": ("POST", "/api/items/<ref>/publish"),
    "notices.preferences": ("PUT", "/api/notices/preferences"),
    "commitments.create": ("POST", "/api/commitments"),
    "commitments.create_questioning": ("POST", "/api/commitments/questioning"),
    "commitments.conclude": ("POST", "/api/commitments/questioning/<code>/conclusion"),
    "documents.register": ("POST", "/api/documents"),
    "documents.urge": ("POST", "/api/documents/urge"),
    "queues.bulk": ("POST", "/api/bulk/<name>"),
    "policy_admin.calendar_add": ("POST", "/api/admin/calendar"),
    "admin.user_add": ("POST", "/api/admin/users"),
    "admin.user_role": ("POST", "/api/admin/users/<username>/role"),
    "admin.user_deactivate": ("POST", "/api/admin/users/<username>/deactivate"),
    "admin.user_reactivate": ("POST", "/api/admin/users/<username>/reactivate"),
    "admin.user_two_factor_reset": ("POST", "/api/admin/users/<username>/two-factor-reset"),
    "webhooks.add": ("POST", "/api/admin/webhooks"),
    "webhooks.toggle": ("POST", "/api/admin/webhooks/<int:hook_id>/active"),
    "recipients.change": ("POST", "/api/admin/recipients"),
    "outbox.retry": ("POST", "/api/admin/outbox/retry"),
    "reference_admin.add": ("POST", "/api/admin/reference/<section>"),
    "reference_admin.change": ("POST", "/api/admin/reference/<section>/<code>"),
    "reference_admin.end": ("POST", "/api/admin/reference/<section>/<code>/end"),
    "policy_admin.policy_add": ("POST", "/api/admin/policy"),
    "documents.attach": ("POST", "/api/items/<ref>/attachments"),
    "documents.urge_item": ("POST", "/api/items/<ref>/urging-letter"),
    "handover.preview": ("POST", "/api/handover/preview"),
    "handover.confirm": ("POST", "/api/handover"),
    "digests.queue_draft": ("POST", "/api/digests"),
    "digests.issue": ("POST", "/api/digests/issue"),
    "intake.preview": ("POST", "/api/intake/preview"),
    "intake.run": ("POST", "/api/intake"),
}

# Deliberately without a twin: what a browser session needs and a token holder does not.
EXCEPTIONS = {
    "auth.login": "signing in makes a browser session; the API uses tokens",
    "auth.second_factor": "part of the browser sign-in",
    "auth.enrol": "two-factor enrolment scans a QR code in the browser",
    "auth.logout": "ends a browser session; a token is revoked instead",
    "auth.language": "the browser's language choice; the API reads Accept-Language",
    "account.reset": "a password reset link is opened from an email",
    "account.two_factor": "two-factor settings of the signed-in person, not of a token",
    "tokens.mine": "a token never makes tokens (a stolen one could not be contained)",
    "tokens.revoke_mine": "same as above: tokens are managed from a signed-in session",
    "tokens.every": "same as above",
    "tokens.revoke_any": "same as above",
    "public.public_lookup": "the citizen's public page; rate limited, no token",
    "public.receipt": "prints a PDF for the citizen at the desk",
    "documents.transfer_slip": "prints a PDF",
    "items.save_search": "a saved search is the web list's bookmark",
    "items.delete_search": "same as above",
    "notices.mark_read": "the in-app inbox's button; the API lists notices",
    "admin.user_password_reset": "its one-time sign-in link is shown once to the admin in the "
                                 "browser; a token minting one could take over any account",
}

# Twins not built yet: none. A new form must get a twin or a reason above (the test below).
NOT_YET: set[str] = set()


def _form_posts(app) -> set[str]:
    return {r.endpoint for r in app.url_map.iter_rules()
            if r.methods & {"POST", "PUT", "DELETE"} and not r.rule.startswith("/api/")
            and r.endpoint != "static"}


def _api_operations(app) -> set[tuple[str, str]]:
    return {(m, r.rule) for r in app.url_map.iter_rules() if r.rule.startswith("/api/")
            for m in r.methods & {"POST", "PUT", "DELETE"}}


def test_every_form_post_has_a_twin_a_reason_or_is_listed_as_not_yet_built(app) -> None:
    unaccounted = _form_posts(app) - set(TWINS) - set(EXCEPTIONS) - NOT_YET

    assert not unaccounted, f"a new form without an API twin: {sorted(unaccounted)}"


def test_each_listed_twin_is_an_operation_of_the_api_and_of_its_description(app) -> None:
    operations = _api_operations(app)
    described = app.test_client().get("/api/openapi.json").json["paths"]

    for endpoint, (method, rule) in TWINS.items():
        assert (method, rule) in operations, endpoint
        if endpoint == "items.act":
            continue  # described once per action (next test)
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)  # /<int:hook_id> → /{hook_id}
        assert method.lower() in described[path], endpoint


def test_every_item_page_action_is_described_and_reachable_through_the_actions_twin(app) -> None:
    client = app.test_client()
    described = client.get("/api/openapi.json").json["paths"]
    for name in FORMS:
        assert f"/api/items/{{ref}}/actions/{name}" in described, name  # unauthenticated: the route exists and asks for a token, never 404
        response = client.post(f"/api/items/KN-2025-00001/actions/{name}", json={})
        assert response.status_code == 401, name


def test_the_exceptions_and_the_gaps_name_real_form_posts(app) -> None:
    posts = _form_posts(app)

    assert set(EXCEPTIONS) <= posts and NOT_YET <= posts and set(TWINS) <= posts


def test_no_form_action_lacks_an_api_twin(app) -> None:
    assert not NOT_YET
