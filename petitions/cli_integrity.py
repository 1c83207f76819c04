"""``petitions verify``, ``backup`` and ``restore``: prove the log whole, copy it, bring it back."""
from __future__ import annotations

import argparse
import sys
from typing import Any

from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add the integrity subcommands to the ``petitions`` parser."""
    p = sub.add_parser("verify", help="recompute the hash chain over the event log and name "
                                      "the first break")
    p.add_argument("--views", action="store_true",
                   help="also rebuild the views elsewhere and compare them with the live ones")
    p.add_argument("--at", type=int, metavar="POSITION",
                   help="also print the chain's link at this event, to compare with a printed "
                        "digest's hash")
    p.set_defaults(command=cmd_verify)

    p = sub.add_parser("backup", help="write the event store and the views to one archive")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="archive to write (.tar.gz); refused if it exists")
    p.set_defaults(command=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup archive into an empty instance, "
                                       "then verify it")
    p.add_argument("archive", metavar="FILE", help="archive written by `petitions backup`")
    p.set_defaults(command=cmd_restore)


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    """Check the chain (and, with --views, the views against a rebuild); 1 if anything fails."""
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    try:
        return report(runtime, views=args.views, at=args.at)
    finally:
        runtime.close()


def report(runtime: Any, *, views: bool, at: int | None = None) -> int:
    """Print the chain check (and the views check); return the exit status."""
    from petitions.integrity import check_chain, check_views

    chain = check_chain(runtime)
    for line in chain.lines(runtime.tracker.zone):
        print(line, file=sys.stdout if chain.ok else sys.stderr)
    if at is not None:
        print(chain.link_line(runtime, at))
    ok = chain.ok
    if views:
        compared = check_views(runtime)
        for line in compared.lines():
            print(line, file=sys.stdout if compared.ok else sys.stderr)
        ok = ok and compared.ok
    return 0 if ok else 1


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Write an archive of both SQLite databases with a manifest (PostgreSQL: pg_dump)."""
    from petitions.backup import BackupError, backup

    try:
        manifest = backup(settings, args.output)
    except BackupError as exc:
        print(f"petitions backup: {exc}", file=sys.stderr)
        return exc.status
    print(f"Wrote {args.output}: events up to {manifest['events_position']:,}, views at "
          f"{manifest['views_position']:,}, {_files(manifest)}, chain head "
          f"{manifest['chain_head']}.")
    print("Restore it with `petitions restore FILE` into an empty instance folder.")
    return 0


def _files(manifest: dict) -> str:
    """Say how many attached files the archive carries."""
    count = len(manifest.get("attachments") or {})
    return f"{count:,} attached file" + ("" if count == 1 else "s")


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Unpack an archive into the (empty) instance, then verify the chain and the views."""
    from petitions.backup import BackupError, restore
    from petitions.cli import describe_store
    from petitions.runtime import Runtime

    try:
        manifest = restore(settings, args.archive)
    except BackupError as exc:
        print(f"petitions restore: {exc}", file=sys.stderr)
        return exc.status
    print(f"Restored {args.archive} into {describe_store(settings)} (taken "
          f"{manifest['created_at']}, {_files(manifest)}, chain head "
          f"{manifest['chain_head']}). Verifying…")
    runtime = Runtime(settings)
    try:
        status = report(runtime, views=True)
    finally:
        runtime.close()
    if status:
        print("The restored store does not verify: keep the archive and do not use this "
              "instance until the difference is understood.", file=sys.stderr)
    return status
