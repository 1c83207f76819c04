"""A random but reproducible mix of commands through the application, for view tests."""
from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from domain.actor import SYSTEM, Actor, Role
from domain.errors import DomainError
from petitions.runtime import Runtime

SECRETARIAT = Actor("thu.ky", Role.SECRETARIAT)
DISTRICTS = ["ba-dinh", "hoan-kiem", "ung-hoa", "son-tay"]
GROUPS = {"ba-dinh": "to-01", "hoan-kiem": "to-02"}
AGENCIES = ["so-xay-dung", "so-y-te", "ubnd-ba-dinh"]
FIELDS = ["land", "transport", "water_drainage", "environment"]
SESSIONS = ["XVI-19", "XVI-20"]
# The mix runs past 1 July 2025: from that day items go to the ward or commune that took
# over (drawn the same way, so the random sequence is the same in both eras).
REFORM = date(2025, 7, 1)
SUCCESSOR = {"ba-dinh": "00004", "hoan-kiem": "00070", "ung-hoa": "10402", "son-tay": "09574",
             "ubnd-ba-dinh": "ubnd-00004"}


def in_force(code: str, day: date) -> str:
    """Return ``code``, or the unit or committee that took it over by ``day``."""
    return SUCCESSOR.get(code, code) if day >= REFORM else code
TITLES = ["Thoát nước đường Kim Mã", "Ngập úng phố Huế", "Ô nhiễm môi trường Ứng Hòa",
          "Cấp giấy chứng nhận quyền sử dụng đất", "Sửa chữa đường liên xã"]


def run_mix(runtime: Runtime, commands: int, seed: int = 7,
            project_every: int | None = None) -> dict[str, int]:
    """Run ``commands`` random commands; catch the views up every ``project_every``."""
    rng = random.Random(seed)
    app = runtime.tracker
    clock = app.clock
    codes: list[str] = []
    tally = {"ok": 0, "refused": 0}
    for n in range(commands):
        if hasattr(clock, "set") and rng.random() < 0.05:
            clock.set(clock() + timedelta(days=rng.randint(1, 6)))
        try:
            _one(rng, app, codes)
            tally["ok"] += 1
        except DomainError:
            tally["refused"] += 1
        if project_every and n % project_every == 0:
            runtime.projector.catch_up()
    return tally


def _one(rng: random.Random, app: Any, codes: list[str]) -> None:
    today = app.today()
    if not codes or rng.random() < 0.2:
        district = rng.choice(DISTRICTS)
        if rng.random() < 0.7:
            receipt = app.log_petition(
                SECRETARIAT, title=rng.choice(TITLES), content="Cử tri kiến nghị " + rng.choice(TITLES),
                district=in_force(district, today - timedelta(days=3)),
                deputy_group=GROUPS.get(district, "to-03"),
                session=rng.choice(SESSIONS), field=rng.choice(FIELDS),
                meeting_date=today - timedelta(days=3), meeting_place="Nhà văn hóa",
                voters="Nguyễn Văn A", received_on=today - timedelta(days=1))
        else:
            kind = rng.choice(["complaint", "denunciation", "reflection"])
            receipt = app.receive_complaint(
                SECRETARIAT, kind=kind, channel="post", title=rng.choice(TITLES),
                content="Đơn " + rng.choice(TITLES), subject="UBND phường",
                petitioner={"name": "Trần Thị B"}, anonymous=False,
                district=in_force(district, today),
                field=rng.choice(FIELDS), received_on=today)
        codes.append(receipt.code)
        return
    code = rng.choice(codes)
    action = rng.choice([
        "assign", "assign", "answer", "accept", "return", "extend", "escalate", "progress",
        "park", "resume", "withdraw", "close", "merge", "classify", "accept_complaint",
        "decide", "forward",
    ])
    text = "Nội dung " + rng.choice(TITLES)
    if action == "assign":
        app.assign(SECRETARIAT, code, agency=in_force(rng.choice(AGENCIES), today),
                   due_date=today + timedelta(days=rng.randint(1, 20)))
    elif action == "answer":
        outcome = rng.choice(["resolved", "being_resolved", "explained", "not_resolved"])
        app.record_answer(SECRETARIAT, code, outcome=outcome, text=text,
                          new_due_date=today + timedelta(days=30) if outcome == "being_resolved" else None)
    elif action == "accept":
        app.accept_answer(SECRETARIAT, code, voters_satisfied=rng.choice([True, False, None]))
    elif action == "return":
        app.return_answer(SECRETARIAT, code, reason=text)
    elif action == "extend":
        app.extend_deadline(SECRETARIAT, code, new_due_date=today + timedelta(days=rng.randint(25, 29)),
                            reason=text)
    elif action == "escalate":
        app.escalate_item(code, now=app.now() + timedelta(days=rng.randint(0, 40)), actor=SYSTEM)
    elif action == "progress":
        app.note_progress(SECRETARIAT, code, text=text)
    elif action == "park":
        app.park(SECRETARIAT, code, reason=text)
    elif action == "resume":
        app.resume(SECRETARIAT, code, reason=text)
    elif action == "withdraw":
        if rng.random() < 0.3:
            app.withdraw(SECRETARIAT, code, reason=text)
    elif action == "close":
        if rng.random() < 0.3:
            app.close_item(SECRETARIAT, code, reason=text)
    elif action == "merge":
        other = rng.choice(codes)
        app.merge_petitions(SECRETARIAT, code, other, reason=text)
    elif action == "classify":
        app.classify_petition(SECRETARIAT, code, field=rng.choice(FIELDS), competence="city")
    elif action == "accept_complaint":
        app.accept_complaint(SECRETARIAT, code, agency=in_force(rng.choice(AGENCIES), today),
                             complexity=rng.choice(["normal", "complex"]))
    elif action == "decide":
        app.issue_decision(SECRETARIAT, code, result=rng.choice(["correct", "incorrect"]),
                           text=text, decided_on=today)
    elif action == "forward":
        app.forward_complaint(SECRETARIAT, code, to_body="Thanh tra Chính phủ", reason=text)


@contextmanager
def mixed_store(store: str, folder: Any, commands: int, seed: int,
                project_every: int | None = None) -> Iterator[Runtime]:
    """Yield a runtime on ``store`` (sqlite or postgres, a fresh schema) after a command mix
    that starts on 3 March 2025, with the views caught up; drop the schema after."""
    from datetime import datetime, timezone

    from petitions.settings import Settings
    from tests.conftest import PG_URL, FixedClock, require_postgres, sqlite_settings

    schema = ""
    if store == "sqlite":
        settings = sqlite_settings(folder)
    else:
        require_postgres()
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        settings = Settings(instance_path=str(folder / "instance"), database_url=PG_URL,
                            database_schema=schema, secret_key="test-secret")
    rt = Runtime(settings, clock=FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)))
    try:
        rt.tracker.load_reference()
        run_mix(rt, commands, seed=seed, project_every=project_every)
        rt.projector.catch_up()
        yield rt
    finally:
        rt.close()
        if schema:
            import psycopg

            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
