"""The demo's plan of items: how many, of which fate, arising where and when."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timezone

from petitions.demo.fates import COMPLAINT, FATES, PETITION, plan_items

UNITS = ["ba-dinh", "hoan-kiem", "dong-anh"]
START = date(2024, 10, 1)
END = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)
SESSIONS = ("XVI-19", "XVI-20")


def plan(count: int, seed: int = 7):
    return plan_items(random.Random(seed), count, UNITS, START, END, SESSIONS)


def test_the_plan_makes_the_items_asked_for_counting_second_rounds():
    plans = plan(500)

    second_rounds = sum(1 for p in plans if p.fate.name == "second_round")

    assert second_rounds > 0
    assert len(plans) + second_rounds == 500


def test_every_fate_is_planned_when_there_is_room():
    plans = plan(len(FATES) * 3)

    planned = {(p.kind, p.fate.name) for p in plans}

    assert planned == {(f.kind, f.name) for f in FATES}


def test_six_items_in_ten_are_voter_petitions():
    plans = plan(1000)

    kinds = Counter(p.kind for p in plans if p.fate.name != "second_round")
    kinds[COMPLAINT] += 2 * sum(1 for p in plans if p.fate.name == "second_round")

    assert kinds == {PETITION: 600, COMPLAINT: 400}


def test_a_merged_duplicate_is_raised_after_its_survivor_in_its_district_and_session():
    duplicates = [p for p in plan(500) if p.fate.name == "merged"]

    assert duplicates
    for duplicate in duplicates:
        survivor = duplicate.survivor
        assert survivor is not None and survivor.fate.takes_duplicates
        assert (duplicate.district, duplicate.session) == (survivor.district, survivor.session)
        assert duplicate.start > survivor.start


def test_a_first_round_leaves_time_for_its_decision_and_second_round():
    firsts = [p for p in plan(2000) if p.fate.name == "second_round"]

    assert all((END.date() - p.start).days >= 150 for p in firsts)


def test_the_same_seed_gives_the_same_plan():
    first, second = plan(300, seed=3), plan(300, seed=3)

    assert [(p.fate, p.district, p.start) for p in first] == \
        [(p.fate, p.district, p.start) for p in second]
