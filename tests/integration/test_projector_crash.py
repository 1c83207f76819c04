"""A projector killed with SIGKILL at random points resumes without skipping or repeating."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from petitions.runtime import Runtime
from tests.integration.command_mix import run_mix
from tests.integration.test_projections import other_views, projector_for, snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_views_equal_a_rebuild_after_twenty_kills_during_catch_up(settings, clock, tmp_path):
    runtime = Runtime(settings, clock=clock)
    runtime.tracker.load_reference()
    run_mix(runtime, 2000, seed=21)
    head = runtime.tracker.position()
    command = [sys.executable, "-m", "tests.integration.projector_process",
               settings.instance_path, settings.database_url, settings.database_schema, "10"]
    rng = random.Random(4)
    kills = 0
    positions = []

    last = 0
    while kills < 20:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Kill only once this run has committed progress, a random moment later, so every
        # kill lands in the middle of catching up however fast or slow the machine is.
        deadline = time.monotonic() + 60
        while position(runtime) <= last and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is not None:
            break  # it finished before the kill: the view is complete
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        last = position(runtime)
        positions.append(last)
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    fresh = other_views(runtime, tmp_path)
    projector_for(runtime, fresh).catch_up()

    assert finished.returncode == 0, finished.stderr
    assert kills == 20, f"the projector finished after {kills} kills; make the log longer"
    assert 0 < positions[0] < head  # the kills landed while it was catching up
    assert runtime.projector.status()[0].position == head
    assert snapshot(runtime.views) == snapshot(fresh)
    runtime.close()


def position(runtime: Runtime) -> int:
    return runtime.projector.status()[0].position
