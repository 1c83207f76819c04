"""Run the projector in its own process (killed by the crash test): small batches, no sleep."""
from __future__ import annotations

import sys

from petitions.runtime import Runtime
from petitions.settings import Settings


def main(instance: str, database_url: str = "", schema: str = "") -> None:
    """Catch the items view up, batch by batch, until the log is exhausted."""
    settings = Settings(instance_path=instance, database_url=database_url, database_schema=schema)
    runtime = Runtime(settings)
    runtime.projector.catch_up(batch=int(sys.argv[4]) if len(sys.argv) > 4 else 20)
    print("caught up", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
