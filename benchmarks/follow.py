"""Follow a data set's event log with the items projector while it is being generated.

Generation and projection then overlap (two cores instead of one):

    python3 -m benchmarks.follow --items 1000000 [--store sqlite|postgres]

It stops when the data set's ``ready.json`` appears (``ensure_dataset`` projects the rest).
"""
from __future__ import annotations

import sys
import time

from benchmarks import common


def main(argv: list[str] | None = None) -> int:
    """Catch the items view up every few seconds until the data set is ready."""
    from petitions.application import Tracker
    from projections.items import ItemsProjection
    from projections.runner import REBUILD_BATCH, Projector
    from projections.store import Views

    args = common.parser(__doc__.splitlines()[0]).parse_args(argv)
    settings = common.dataset_settings(args.store, args.items)
    marker = common.DATA / f"{args.store}-{args.items}" / "ready.json"
    while not (common.DATA / f"{args.store}-{args.items}").exists():
        time.sleep(2)
    tracker = Tracker(settings)
    views = Views.from_settings(settings)
    views.create_all()
    projector = Projector(tracker, views, policy=tracker.policy, calendar=tracker.calendar,
                          zone=tracker.zone, projections=[ItemsProjection()])
    # Up to the head seen at each round, then a look at the markers: once generation has
    # ended, ``ensure_dataset`` projects the rest itself, and a follower still writing
    # batches back to back kept the views' write lock from it ("database is locked").
    generated = marker.with_name(common.GENERATED)
    total = 0
    while not marker.exists() and not generated.exists():
        total += projector.catch_up(until=tracker.position(), batch=REBUILD_BATCH)
        common.note(f"followed {total:,} events", args.quiet)
        time.sleep(5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
