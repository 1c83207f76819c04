"""The escalation ladder's words on screen are the ones the deadline policy declares."""
from __future__ import annotations

from dataclasses import replace

from flask import Flask
from flask_babel import force_locale

from domain.deadline import DEFAULT_POLICY, DeadlinePolicy, Phrase
from web.labels import escalation_label, notify_label


def reworded() -> DeadlinePolicy:
    """Return the default policy with other words for level 2 (who it is and what it means)."""
    ladder = tuple(
        replace(step, label=Phrase("quá hạn: báo Văn phòng xã", "overdue: the commune office"),
                notified=Phrase("Văn phòng xã", "the commune office"))
        if step.level == 2 else step for step in DEFAULT_POLICY.ladder)
    return replace(DEFAULT_POLICY, ladder=ladder)


def test_a_level_is_described_in_the_policys_vietnamese(app: Flask) -> None:
    app.extensions["petitions"].tracker.policy = reworded()

    with app.test_request_context(), force_locale("vi"):
        assert escalation_label(2) == "quá hạn: báo Văn phòng xã"


def test_a_level_is_described_in_the_policys_english(app: Flask) -> None:
    app.extensions["petitions"].tracker.policy = reworded()

    with app.test_request_context(), force_locale("en"):
        assert escalation_label(2) == "overdue: the commune office"


def test_who_was_notified_is_named_in_the_policys_words(app: Flask) -> None:
    app.extensions["petitions"].tracker.policy = reworded()

    with app.test_request_context(), force_locale("vi"):
        assert notify_label("office") == "Văn phòng xã"


def test_a_level_the_ladder_lacks_shows_its_number(app: Flask) -> None:
    with app.test_request_context():
        assert escalation_label(9) == "9"
