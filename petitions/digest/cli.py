"""``petitions digest``: print a council-session digest to a PDF file."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from petitions.digest import DigestRequest, DigestUnavailable, filename
from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add the ``digest`` subcommand to the ``petitions`` parser."""
    p = sub.add_parser("digest", help="print a council-session digest (PDF)")
    p.add_argument("--session", required=True, help="council session code, e.g. XVI-20")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--district", default="", help="one district, e.g. ba-dinh")
    scope.add_argument("--group", default="", help="one deputy group, e.g. to-01")
    p.add_argument("--as-of", default="", metavar="YYYY-MM-DD", type=_day,
                   help="the figures as they stood at the end of this day (Hanoi time)")
    p.add_argument("-o", "--output", default="",
                   help="PDF file to write (default bao-cao-<session>-<scope>.pdf)")
    p.add_argument("--no-catch-up", action="store_true",
                   help="print the views as they are, without applying new events first")
    p.set_defaults(command=cmd_digest)


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the views up to date, render the digest and write it to the output file."""
    from petitions.digest import make_digest
    from petitions.runtime import Runtime

    request = DigestRequest(session=args.session, district=args.district,
                            deputy_group=args.group, as_of=args.as_of or None)
    output = Path(args.output or filename(request))
    problem = unwritable(output)
    if problem:  # say so now, not after rendering the whole digest
        print(f"petitions digest: cannot write {output}: {problem}.", file=sys.stderr)
        return 2
    runtime = Runtime(settings)
    try:
        if not args.no_catch_up:
            runtime.projector.catch_up()
        try:
            digest, pdf = make_digest(runtime, request)
        except DigestUnavailable as exc:
            print(f"Cannot print this digest: {exc}.", file=sys.stderr)
            return 2
    finally:
        runtime.close()
    try:
        output.write_bytes(pdf)
    except OSError as exc:  # the folder changed while rendering
        print(f"petitions digest: cannot write {output}: {exc.strerror or exc}.",
              file=sys.stderr)
        return 2
    print(f"Wrote {output} ({len(pdf) // 1024} KiB; figures as of {digest.today:%d/%m/%Y}, "
          f"views at event {digest.position}).")
    return 0


def _day(value: str) -> Any:
    """Parse a YYYY-MM-DD day for ``--as-of`` (argparse says what is wrong)."""
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {value!r}") from None


def unwritable(output: Path) -> str:
    """Say why a file cannot be written at ``output`` ("" when it can), without writing it."""
    import tempfile

    if output.is_dir():
        return "it is a folder"
    folder = output.parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    try:  # the real test (permissions alone mislead, e.g. for root or read-only disks)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    if output.exists() and not os.access(output, os.W_OK):
        return "the file is read-only"
    return ""
