"""``petitions digest``: print a council-session digest to a PDF, Word or Excel file."""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

from petitions.digest import FORMATS, DigestRequest, DigestUnavailable, filename
from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add the ``digest`` subcommand to the ``petitions`` parser."""
    p = sub.add_parser("digest", help="print a council-session digest (PDF, DOCX or XLSX)")
    p.add_argument("--session", required=True, help="council session code, e.g. XVI-20")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--district", default="", help="one district, e.g. ba-dinh")
    scope.add_argument("--group", default="", help="one deputy group, e.g. to-01")
    p.add_argument("--as-of", default="", metavar="YYYY-MM-DD", type=_day,
                   help="the figures as they stood at the end of this day (Hanoi time)")
    p.add_argument("--position", type=int, default=None, metavar="N",
                   help="the figures just after event N of the log (the number a digest "
                        "prints as \"sự kiện số N\"); instead of --as-of")
    p.add_argument("--format", choices=sorted(FORMATS), default="pdf", dest="fmt",
                   help="pdf (default), docx (Word, to edit before signing) or xlsx (the tables)")
    p.add_argument("-o", "--output", default="",
                   help="file to write (default bao-cao-<session>-<scope>.<format>)")
    p.add_argument("--issue", action="store_true",
                   help="issue it: take the register's next number, keep the files as issued")
    p.add_argument("--issuer", default="van-phong", choices=("van-phong", "thuong-truc"),
                   help="issuing body (with --issue)")
    p.add_argument("--signer", default="", help="signer's full name printed (with --issue)")
    p.add_argument("--actor", default="cli", help="user name recorded as issuing (with --issue)")
    p.add_argument("--no-catch-up", action="store_true",
                   help="print the views as they are, without applying new events first")
    p.set_defaults(command=cmd_digest)


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the views up to date, render the digest and write it to the output file."""
    from petitions.digest import make_digest
    from petitions.runtime import Runtime

    request = DigestRequest(session=args.session, district=args.district,
                            deputy_group=args.group, as_of=args.as_of or None)
    output = Path(args.output or filename(request, args.fmt))
    problem = unwritable(output)
    if problem:  # say so now, not after rendering the whole digest
        print(f"petitions digest: cannot write {output}: {problem}.", file=sys.stderr)
        return 2
    runtime = Runtime(settings)
    try:
        if not args.no_catch_up:
            runtime.projector.catch_up()
        runtime.tracker.reference()  # an instance never initialised says so before any bar
        if args.position is not None:
            from projections.positions import PositionOutOfReach
            if args.as_of:
                print("petitions digest: give --as-of or --position, not both.", file=sys.stderr)
                return 2
            try:
                request = dataclasses.replace(request, as_of=runtime.at_position(args.position))
                output = Path(args.output or filename(request, args.fmt))
            except PositionOutOfReach as e:
                print(f"petitions digest: event {args.position} is "
                      + ("too far back to replay; give its day with --as-of."
                         if e.reason == "too_old" else "not in the log."), file=sys.stderr)
                return 2
        try:
            if args.issue:
                digest, pdf, sign = _issue(runtime, request, args)
                output = Path(args.output or filename(request, args.fmt, sign=sign))
            else:
                digest, pdf = _with_progress(
                    lambda progress: make_digest(runtime, request, args.fmt, progress=progress))
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


STEPS = {"figures": "Đọc số liệu", "layout": "Dàn trang", "writing": "Ghi tệp", "done": "Xong"}


def _with_progress(work: Any) -> Any:
    """Run ``work(progress)`` under a progress bar on standard error (percent of the job)."""
    from tqdm import tqdm

    with tqdm(total=100, unit="%", desc="Báo cáo", file=sys.stderr,
              bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}") as bar:
        def progress(percent: int, step: str) -> None:
            bar.set_postfix_str(STEPS.get(step, step), refresh=False)
            bar.update(max(0, percent - bar.n))
        return work(progress)


def _issue(runtime: Any, request: DigestRequest, args: argparse.Namespace) -> Any:
    """Issue the report as the office; return its data, the file in ``args.fmt`` and its sign."""
    from types import SimpleNamespace

    from domain.actor import Actor, Role
    from petitions.reports import issue_report, issued_file

    actor = Actor(args.actor, Role.SECRETARIAT)
    report = _with_progress(lambda progress: issue_report(
        runtime, actor, request, issuer=args.issuer, signer=args.signer, progress=progress))
    print(f"Issued {report.sign} ({report.issued_on:%d/%m/%Y}), figures as of "
          f"{report.as_of:%d/%m/%Y}.", file=sys.stderr)
    # The position the issued figures were read at, as a draft's digest carries it.
    return (SimpleNamespace(position=report.position, today=report.as_of),
            issued_file(runtime, report, args.fmt),
            report.sign)


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
