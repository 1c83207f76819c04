"""``petitions documents``: the document register from the command line.

``list`` searches the register; ``register`` adds a document (with its file) linked to
items; ``urge`` issues one numbered urging letter per agency for the items named, writing
the PDFs; ``slip`` issues a forwarded đơn's transfer slip; ``file`` writes a document's file.
Every command acts as the council office (``--actor``); refusals exit 1 with the reason.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from domain.actor import Actor, Role
from domain.errors import DomainError, InvalidInput
from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add ``documents`` to the ``petitions`` parser."""
    p = sub.add_parser("documents", help="the document register: list, register, urge, slip")
    p.add_argument("--actor", default="cli", help="user name recorded as the office's actor")
    own = p.add_subparsers(dest="documents_command", required=True)
    listing = own.add_parser("list", help="search the register")
    listing.add_argument("words", nargs="?", default="", help="words of number, issuer, summary")
    listing.add_argument("--code", default="", help="only documents of this item")
    listing.add_argument("--direction", choices=("incoming", "outgoing"), default="")
    listing.add_argument("--json", action="store_true")
    add = own.add_parser("register", help="register a document linked to items")
    add.add_argument("codes", nargs="+", help="item codes the document concerns")
    add.add_argument("--number", required=True)
    add.add_argument("--sign", default="")
    add.add_argument("--date", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    add.add_argument("--issuer", required=True)
    add.add_argument("--type", dest="doc_type", default="cong_van")
    add.add_argument("--direction", choices=("incoming", "outgoing"), default="incoming")
    add.add_argument("--summary", required=True)
    add.add_argument("--signer", default="")
    add.add_argument("--purpose", default="other")
    add.add_argument("--personal", action="store_true", help="the file holds personal data")
    add.add_argument("--file", type=Path, help="the document's file (PDF, image, DOCX, XLSX)")
    urge = own.add_parser("urge", help="issue urging letters (one per agency) for items")
    urge.add_argument("codes", nargs="+")
    urge.add_argument("--signer", default="")
    urge.add_argument("--note", default="")
    urge.add_argument("-o", "--output", type=Path, default=Path("."),
                      help="folder for the letters' PDFs (default: here)")
    slip = own.add_parser("slip", help="issue the transfer slip of a forwarded đơn")
    slip.add_argument("code")
    slip.add_argument("--signer", default="")
    slip.add_argument("-o", "--output", type=Path, default=Path("."))
    get = own.add_parser("file", help="write a document's file")
    get.add_argument("document_id")
    get.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(command=cmd_documents)


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    """Run one ``documents`` command; exit 1 with the reason when it is refused."""
    from petitions.runtime import Runtime

    actor = Actor(args.actor, Role.SECRETARIAT)
    runtime = Runtime(settings)
    try:
        runtime.wait_for(runtime.tracker.position())
        try:
            return COMMANDS[args.documents_command](runtime, actor, args)
        except InvalidInput as err:
            for field, messages in err.errors.items():
                print(f"petitions documents: {field}: {'; '.join(map(str, messages))}",
                      file=sys.stderr)
            return 1
        except DomainError as err:
            print(f"petitions documents: refused: {err}", file=sys.stderr)
            return 1
    finally:
        runtime.close()


def _list(runtime: Any, actor: Actor, args: argparse.Namespace) -> int:
    rows = runtime.tracker.list_documents(actor, words=args.words, code=args.code.upper(),
                                          direction=args.direction)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    for row in rows:
        print(f"{row['reference']:<20} {row['issued_on'].strftime('%d/%m/%Y')}  "
              f"{row['direction']:<8} {row['issuer'][:40]:<40}  {', '.join(row['item_codes'])}")
    print(f"{len(rows)} documents")
    return 0


def _register(runtime: Any, actor: Actor, args: argparse.Namespace) -> int:
    data = {"number": args.number, "sign": args.sign, "issued_on": args.date,
            "issuer": args.issuer, "doc_type": args.doc_type, "direction": args.direction,
            "summary": args.summary, "signer": args.signer,
            "item_codes": [c.upper() for c in args.codes]}
    file_data = args.file.read_bytes() if args.file else None
    doc = runtime.tracker.register_document(
        actor, data, file_data=file_data, filename=args.file.name if args.file else "",
        purpose=args.purpose, personal=args.personal)
    runtime.wait_for(doc["position"])
    print(f"registered {doc['reference']} ({doc['id']})")
    return 0


def _write(runtime: Any, actor: Actor, doc: dict[str, Any], folder: Path) -> Path:
    data, _, filename = runtime.tracker.document_file(actor, doc["id"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_bytes(data)
    return path


def _urge(runtime: Any, actor: Actor, args: argparse.Namespace) -> int:
    result = runtime.tracker.issue_urging_letters(actor, args.codes, note=args.note,
                                                  signer=args.signer)
    for letter in result["issued"]:
        path = _write(runtime, actor, letter, args.output)
        print(f"issued {letter['reference']} to {letter['recipient']}: "
              f"{', '.join(letter['item_codes'])} -> {path}")
    for refused in result["refused"]:
        print(f"refused {refused['code']}: {refused['reason']}", file=sys.stderr)
    runtime.wait_for(runtime.tracker.position())
    return 1 if result["refused"] and not result["issued"] else 0


def _slip(runtime: Any, actor: Actor, args: argparse.Namespace) -> int:
    slip = runtime.tracker.issue_transfer_slip(actor, args.code, signer=args.signer)
    path = _write(runtime, actor, slip, args.output)
    runtime.wait_for(slip["position"])
    print(f"issued {slip['reference']} to {slip['recipient']} -> {path}")
    return 0


def _file(runtime: Any, actor: Actor, args: argparse.Namespace) -> int:
    data, _, _ = runtime.tracker.document_file(actor, args.document_id)
    args.output.write_bytes(data)
    print(f"wrote {args.output}")
    return 0


COMMANDS = {"list": _list, "register": _register, "urge": _urge, "slip": _slip, "file": _file}
