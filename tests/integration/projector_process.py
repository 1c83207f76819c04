"""Run the projector in its own process (killed by the crash test), one batch at a time.

After every committed batch it prints ``committed <view>=<position> ...`` (the positions read
back from the views database) and waits for a line on stdin before the next batch, so the
parent decides when it dies by what it has seen committed, not by how much time went by.
Once let go it prints ``resumed``: from then on it is inside the next batch.
"""
from __future__ import annotations

import sys

from petitions.runtime import Runtime
from petitions.settings import Settings
from projections.store import read_position


def main(instance: str, database_url: str = "", schema: str = "", batch: str = "20") -> None:
    """Catch every view up, batch by batch, reporting each commit and waiting to go on."""
    settings = Settings(instance_path=instance, database_url=database_url, database_schema=schema)
    runtime = Runtime(settings)
    names = [projection.name for projection in runtime.projector.projections]

    def committed(_count: int) -> None:
        with runtime.views.connect() as conn:
            positions = " ".join(f"{name}={read_position(conn, name)}" for name in names)
        print("committed", positions, flush=True)
        if sys.stdin.readline():  # at end of input (nobody driving it), run straight on
            print("resumed", flush=True)

    runtime.projector.catch_up(progress=committed, batch=int(batch))
    print("caught up", flush=True)
    runtime.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
