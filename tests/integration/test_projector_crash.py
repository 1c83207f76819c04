"""A projector killed with SIGKILL at random points resumes without skipping or repeating.

The child process (``projector_process``) reports every committed batch and waits for a word
from this test before the next one, so each kill lands at a committed position the test has
seen, however fast or slow the machine is: no sleeps, no clocks decide where it dies.
"""
from __future__ import annotations

import queue
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from petitions.runtime import Runtime
from projections.chain import ChainProjection
from projections.runner import Projector
from tests.integration.command_mix import run_mix
from tests.integration.test_projections import other_views, projector_for, snapshot

ROOT = Path(__file__).resolve().parents[2]
KILLS = 8
BATCH = 5
MOST_BATCHES_PER_RUN = 4
# Only a safety net against a hung child: waiting this long for one line turns a hang into
# a failure. Nothing passes because of it; a machine five times slower stays far below it.
LINE_TIMEOUT = 120


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_views_equal_a_rebuild_after_eight_kills_during_catch_up(settings, clock, tmp_path):
    runtime = Runtime(settings, clock=clock)
    runtime.tracker.load_reference()
    run_mix(runtime, 800, seed=21)
    head = runtime.tracker.position()
    # Chain the log first: the child then spends every batch (and every kill) on the views.
    Projector(runtime.tracker, runtime.views, policy=runtime.tracker.policy,
              calendar=runtime.tracker.calendar, zone=runtime.tracker.zone,
              projections=[ChainProjection()]).catch_up()
    # Each run commits at most MOST_BATCHES_PER_RUN batches, plus one when released into the
    # next batch; the log must outlast all the kills whatever the machine's speed.
    assert head > 2 * KILLS * (MOST_BATCHES_PER_RUN + 1) * BATCH, "make the log longer"
    command = [sys.executable, "-m", "tests.integration.projector_process",
               settings.instance_path, settings.database_url, settings.database_schema,
               str(BATCH)]
    rng = random.Random(4)
    killed_at: list[int] = []
    modes: set[str] = set()

    for run in range(KILLS):
        before = position(runtime)
        with Child(command, tmp_path / f"run-{run}.err") as child:
            seen = []
            for n in range(rng.randint(1, MOST_BATCHES_PER_RUN)):
                if n:
                    child.release()
                seen.append(child.committed()["items"])
            mode = rng.choice(["after commit", "mid-batch"])
            modes.add(mode)
            if mode == "mid-batch":
                child.release()  # it is now reading, applying or committing the next batch
            child.kill()
        after = position(runtime)
        killed_at.append(after)

        assert before < seen[0] and seen == sorted(seen), (run, before, seen)
        if mode == "after commit":
            assert after == seen[-1], (run, mode, seen, after)  # the commit it reported stuck
        else:
            assert seen[-1] <= after, (run, mode, seen, after)  # never behind what it reported
        assert after < head, (run, mode, after, head)  # the kill landed while catching up

    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=600)
    fresh = other_views(runtime, tmp_path)
    projector_for(runtime, fresh).catch_up()

    assert finished.returncode == 0, finished.stderr
    assert "caught up" in finished.stdout
    assert len(killed_at) == KILLS and killed_at == sorted(killed_at)
    assert modes == {"after commit", "mid-batch"}
    assert position(runtime) == head
    assert snapshot(runtime.views) == snapshot(fresh)
    runtime.close()


def position(runtime: Runtime) -> int:
    return {s.name: s for s in runtime.projector.status()}["items"].position


class Child:
    """A projector process driven one committed batch at a time."""

    def __init__(self, command: list[str], errors: Path) -> None:
        self.errors = errors
        self._stderr = errors.open("w")
        self.proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._stderr, text=True)
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def committed(self) -> dict[str, int]:
        """Wait for the next committed batch; return each view's committed position."""
        line = self._expect("committed")
        return {name: int(value) for name, value in
                (word.split("=") for word in line.split()[1:])}

    def release(self) -> None:
        """Let the child go on, and wait until it is inside its next batch."""
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        self._expect("resumed")

    def _expect(self, word: str) -> str:
        try:
            line = self._lines.get(timeout=LINE_TIMEOUT)
        except queue.Empty:
            pytest.fail(f"the projector said nothing for {LINE_TIMEOUT}s (waiting for {word!r})")
        if line is None or line.split()[:1] != [word]:
            self.proc.wait(timeout=LINE_TIMEOUT)
            pytest.fail(f"the projector stopped before the kill ({line!r} instead of {word!r}, "
                        f"exit {self.proc.returncode}): {self.errors.read_text()}")
        return line

    def kill(self) -> None:
        """SIGKILL the child and wait until it is gone."""
        self.proc.kill()
        self.proc.wait(timeout=LINE_TIMEOUT)
        assert self.proc.returncode == -9, self.errors.read_text()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=LINE_TIMEOUT)  # the dead child's stdout ends at once
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:  # the pipe to a killed child may be broken
                pass
        self._stderr.close()
