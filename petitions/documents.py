"""Use cases of official documents and attachments (issue 17), mixed into ``Tracker``.

Documents (văn bản) live in the register (``domain.document``); files are checked
(``petitions.files``), kept by hash in the blob store (``petitions.blobstore``) and named in
events by their hash. Who may fetch a file follows the item: whoever may see the item, and
for a file with personal data only whoever may see the item's personal data; anyone else
is told the file does not exist.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.actor import Actor
from domain.codes import CodeCounter, normalise_code
from domain.complaint import Complaint
from domain.document import OfficialDocument, check_document
from domain.errors import InvalidInput, N_, PermissionDenied
from domain.item import TrackedItem
from domain.petition import VoterPetition
from petitions import permissions
from petitions.errors import ItemNotFound
from petitions.files import CheckedFile, check_file, preview_png

# The council office's own name and the signs of what it issues (Decree 30/2020, App. I).
OFFICE_NAME = "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân thành phố Hà Nội"
URGING_SIGN = "VP-HĐND"
TRANSFER_SIGN = "PC-VP"
# Outgoing documents share one sequence per year (Decree 30/2020, art. 15).
REGISTER_PREFIX = "VB"
MAX_URGED = 200


_REHEARSAL = threading.local()


class Rehearsed(Exception):
    """Raised in place of saving while a command is rehearsed."""


def rehearsing() -> bool:
    """Tell whether the current thread is rehearsing a command."""
    return bool(getattr(_REHEARSAL, "active", False))


def rehearse(act: Callable[[], Any]) -> None:
    """Run ``act`` up to the point of saving, keeping nothing; the domain's refusals propagate."""
    _REHEARSAL.active = True
    try:
        act()
    except Rehearsed:
        pass
    finally:
        _REHEARSAL.active = False


class DocumentNotFound(ItemNotFound):
    """No document or file with this id or hash that the actor may see."""


class DocumentsMixin:
    """Register documents, attach files, issue urging letters and transfer slips."""

    _blobs: Any = None

    def attach_blob_store(self, store: Any) -> None:
        """Keep attached files' bytes in ``store`` (``petitions.blobstore``)."""
        self._blobs = store

    @property
    def blobs(self) -> Any:
        """The store of attached files' bytes (the configured one unless one was attached)."""
        if self._blobs is None:
            from petitions.blobstore import DatabaseBlobStore, FileBlobStore

            self._blobs = (DatabaseBlobStore(self._escalation_views())
                           if self.settings.attachment_store == "database"
                           else FileBlobStore(self.settings.instance / "attachments"))
        return self._blobs

    # -- attachments ------------------------------------------------------------------------
    def check_upload(self, data: bytes, filename: str) -> CheckedFile:
        """Accept a file's bytes or raise InvalidInput saying why not (before anything is kept)."""
        return check_file(data, filename, max_mb=self.settings.attachment_max_mb)

    def attach_file(self, actor: Actor, ref: Any, *, data: bytes, filename: str,
                    to: str = "item", personal: bool | None = None,
                    expected_version: int | None = None) -> Any:
        """Attach a checked file to an item, one of its answers or notes; return a receipt.

        ``to`` is ``item``, ``answer:V``, ``note:V`` (V the event's version) or ``document:ID``.
        ``personal`` defaults to yes for the item's own file of a đơn (the scanned letter names
        its sender) and no otherwise.
        """
        item = self._attachable(actor, ref)
        self._check_version(item, expected_version)
        checked = self.check_upload(data, filename)
        if personal is None:
            personal = to == "item" and isinstance(item, Complaint)
        item.attach_file(checked.facts(), to=to, personal=personal, by=actor, at=self.now())
        self.blobs.put(checked.data)
        return self._save_receipt(item)

    def _attachable(self, actor: Actor, ref: Any) -> TrackedItem:
        item = self._load(ref, TrackedItem)
        if not permissions.can_view(actor, item.district, item.agency,
                                    item.cooperating_agencies):
            raise ItemNotFound(ref=str(ref))
        if not permissions.may_attach(actor, item):
            raise PermissionDenied(action="attach files to")
        return item

    def item_files(self, actor: Actor, ref: Any) -> dict[str, Any]:
        """Return the item's linked documents and attached files the actor may see.

        Also whether the actor may attach files to it and issue an urging letter for it.
        """
        item = self._load_visible(actor, ref)
        personal = permissions.handles(actor, item.district, item.agency, item.kind)
        documents = [d for d in item.documents
                     if personal or not (d.get("file") or {}).get("personal")]
        attachments = [f for f in item.attachments if personal or not f.get("personal")]
        everything = len(item.documents) + len(item.attachments)
        return {
            "documents": documents, "attachments": attachments,
            "hidden": everything - len(documents) - len(attachments),
            "may_attach": permissions.may_attach(actor, item),
            "may_urge": permissions.may_register_documents(actor) and item.is_open
            and bool(item.agency),
            "may_transfer_slip": permissions.may_register_documents(actor)
            and bool(getattr(item, "forwarded_to", None)),
        }

    def item_file(self, actor: Actor, ref: Any, sha256: str, *,
                  preview: bool = False) -> tuple[bytes, str, str]:
        """Return an attached file's bytes (or its PNG preview), media type and name.

        Raises DocumentNotFound when the actor may not see the item, or the file is personal
        and the actor may not see the item's personal data: the file "does not exist".
        """
        try:
            item = self._load_visible(actor, ref)
        except ItemNotFound:
            raise DocumentNotFound(ref=sha256) from None
        for file in [*item.attachments, *(d["file"] for d in item.documents if d.get("file"))]:
            if file["sha256"] != sha256:
                continue
            if file.get("personal") and not permissions.handles(
                    actor, item.district, item.agency, item.kind):
                continue
            return self._file_bytes(file, preview)
        raise DocumentNotFound(ref=sha256)

    def _file_bytes(self, file: dict[str, Any], preview: bool) -> tuple[bytes, str, str]:
        data = self.blobs.get(file["sha256"])
        if not preview:
            return data, file["media_type"], file["filename"]
        png = preview_png(data, file["media_type"])
        if png is None:
            raise DocumentNotFound(ref=file["sha256"])
        return png, "image/png", file["filename"].rsplit(".", 1)[0] + ".png"

    # -- the register -----------------------------------------------------------------------
    def register_document(self, actor: Actor, data: dict[str, Any], *,
                          file_data: bytes | None = None, filename: str = "",
                          purpose: str = "other", personal: bool = False) -> dict[str, Any]:
        """Register an official document, its file, and link it to the items it concerns."""
        if not permissions.may_register_documents(actor):
            raise PermissionDenied(action="register documents for")
        facts = check_document(data, today=self.today())
        items = self._items_to_link(actor, facts["item_codes"])
        checked = self.check_upload(file_data, filename) if file_data else None
        doc = self._new_document(actor, facts, checked, personal)
        for item in items:
            item.link_document(self._link_facts(doc), purpose=purpose, by=actor, at=self.now())
        if checked:
            self.blobs.put(checked.data)
        recordings = self._save(doc, *items)
        return {**doc.to_dict(), "position": recordings[-1].notification.id}

    def _new_document(self, actor: Actor, facts: dict[str, Any], checked: CheckedFile | None,
                      personal: bool) -> OfficialDocument:
        doc = OfficialDocument.register(
            facts, file=checked.facts() if checked else None, personal=bool(personal),
            by=actor, at=self.now())
        try:
            self.repository.get(doc.id)
        except AggregateNotFoundError:
            return doc
        raise InvalidInput({"number": [N_("This document is already in the register.")]})

    def _items_to_link(self, actor: Actor, codes: list[str]) -> list[TrackedItem]:
        items, unknown = [], []
        for code in codes:
            normal = normalise_code(str(code))
            try:
                items.append(self._load_visible(actor, normal or str(code)))
            except ItemNotFound:
                unknown.append(str(code))
        if unknown:
            raise InvalidInput({"item_codes": [N_("Unknown item code: {codes}.").replace(
                "{codes}", ", ".join(unknown[:10]))]})
        return items

    @staticmethod
    def _link_facts(doc: OfficialDocument) -> dict[str, Any]:
        """What an item's event records of a linked document (enough to show it unaided)."""
        file = dict(doc.file, personal=doc.personal) if doc.file else None
        return {"document_id": str(doc.id), "reference": doc.reference,
                "issued_on": doc.issued_on, "issuer": doc.issuer, "doc_type": doc.doc_type,
                "direction": doc.direction, "summary": doc.summary, "file": file}

    def list_documents(self, actor: Actor, **filters: Any) -> list[dict[str, Any]]:
        """Return the register's documents the actor may see, newest first.

        Scoped staff see the documents of their district's or agency's items; documents
        with personal data (transfer slips, scanned đơn) are listed only for the office.
        """
        from projections.documents import search_documents

        if not permissions.may_see_documents(actor):
            raise PermissionDenied(action="see documents of")
        with self._escalation_views().connect() as conn:
            return search_documents(
                conn, scope=permissions.scope_filter(actor).filter(),
                personal=permissions.may_register_documents(actor), **filters)

    def get_document(self, actor: Actor, document_id: Any) -> dict[str, Any]:
        """Return a document if the actor may see one of the items it concerns."""
        doc = self._visible_document(actor, document_id)
        data = doc.to_dict()
        if doc.personal:
            try:
                self._visible_document(actor, document_id, personal=True)
            except DocumentNotFound:
                data["file"] = None  # the file holds personal data the actor may not see
        return data

    def document_file(self, actor: Actor, document_id: Any, *,
                      preview: bool = False) -> tuple[bytes, str, str]:
        """Return a document's file (or preview) if the actor may see it; else DocumentNotFound."""
        doc = self._visible_document(actor, document_id, personal=True)
        if not doc.file:
            raise DocumentNotFound(ref=str(document_id))
        return self._file_bytes(doc.file, preview)

    def _visible_document(self, actor: Actor, document_id: Any, *,
                          personal: bool = False) -> OfficialDocument:
        try:
            doc = self.repository.get(UUID(str(document_id)))
        except (ValueError, AggregateNotFoundError):
            raise DocumentNotFound(ref=str(document_id)) from None
        if not isinstance(doc, OfficialDocument):
            raise DocumentNotFound(ref=str(document_id))
        for code in doc.item_codes:
            try:
                item = self._load_visible(actor, code)
            except ItemNotFound:
                continue
            if not (personal and doc.personal) or permissions.handles(
                    actor, item.district, item.agency, item.kind):
                return doc
        raise DocumentNotFound(ref=str(document_id))

    # -- an agency's answer with its signed letter -------------------------------------------
    def answer_with_letter(self, actor: Actor, ref: Any, *, outcome: str, text: str,
                           new_due_date: date | None = None, letter_no: str = "",
                           letter_sign: str = "", letter_date: date | None = None,
                           signer: str = "", file_data: bytes | None = None,
                           filename: str = "", expected_version: int | None = None) -> Any:
        """Record a petition's answer with the agency's reply letter, registered and attached.

        The letter (công văn số …, ngày …) becomes an incoming document of the register,
        linked to the item; the answer and the document are saved together or not at all.
        """
        if not (letter_no or letter_sign or letter_date or signer or file_data):
            return self.record_answer(actor, ref, outcome=outcome, text=text,
                                      new_due_date=new_due_date,
                                      expected_version=expected_version)
        item = self._load_for(actor, "answer", ref, VoterPetition, expected_version)
        errors: dict[str, list[str]] = {}
        _collect(errors, lambda: item.record_answer(
            outcome=outcome, text=text, new_due_date=new_due_date, today=self.today(),
            by=actor, at=self.now()))
        if not (letter_no or letter_sign or letter_date):
            # A file without a letter's number: attached to the answer, not registered.
            return self._attach_checked(actor, item, errors, file_data, filename,
                                        to=f"answer:{item.version}")
        facts = checked = None
        try:
            facts = check_document({
                "number": letter_no, "sign": letter_sign, "issued_on": letter_date,
                "issuer": self._agency_name(item.agency), "doc_type": "cong_van",
                "direction": "incoming", "summary": text, "signer": signer,
                "item_codes": [item.code],
            }, today=self.today())
        except InvalidInput as err:
            errors.update({f"letter_{k}" if k in ("number", "sign") else
                           "letter_date" if k == "issued_on" else k: v
                           for k, v in err.errors.items()})
        checked = _collect(errors, lambda: self.check_upload(file_data, filename)) \
            if file_data else None
        if errors:
            raise InvalidInput(errors)
        doc = self._new_document(actor, facts, checked, personal=False)
        item.link_document(self._link_facts(doc), purpose="answer", by=actor, at=self.now())
        if checked:
            self.blobs.put(checked.data)
        return self._save_receipt(item, doc)

    def note_progress_with_file(self, actor: Actor, ref: Any, *, text: str,
                                file_data: bytes | None = None, filename: str = "",
                                expected_version: int | None = None) -> Any:
        """Record a progress note, with a file attached to it if one is given (both or neither)."""
        if not file_data:
            return self.note_progress(actor, ref, text=text, expected_version=expected_version)
        item = self._load_for(actor, "progress", ref, TrackedItem, expected_version)
        errors: dict[str, list[str]] = {}
        _collect(errors, lambda: item.note_progress(text, by=actor, at=self.now()))
        return self._attach_checked(actor, item, errors, file_data, filename,
                                    to=f"note:{item.version}")

    def _load_for(self, actor: Actor, action: str, ref: Any, kind: type,
                  expected_version: int | None) -> Any:
        """Load an item for ``action`` with the checks of ``Tracker._update`` (role, scope, version)."""
        permissions.require(actor, action, item_class=kind)
        item = self._load(ref, kind)
        if not permissions.can_view(actor, item.district, item.agency,
                                    item.cooperating_agencies):
            raise ItemNotFound(ref=str(ref))
        permissions.require(actor, action, item)
        self._check_version(item, expected_version)
        return item

    def _attach_checked(self, actor: Actor, item: TrackedItem, errors: dict[str, list[str]],
                        file_data: bytes | None, filename: str, *, to: str) -> Any:
        """Attach the file to ``to`` and save with the item's pending event, or raise every error."""
        checked = _collect(errors, lambda: self.check_upload(file_data, filename))
        if errors:
            raise InvalidInput(errors)
        item.attach_file(checked.facts(), to=to, personal=False, by=actor, at=self.now())
        self.blobs.put(checked.data)
        return self._save_receipt(item)

    # -- decisions and notices recorded on items become documents of the register ----------
    def extend_deadline_documented(self, actor: Actor, ref: Any, *, new_due_date: date,
                                   reason: str, decision_no: str = "",
                                   decision_date: date | None = None,
                                   file_data: bytes | None = None, filename: str = "",
                                   expected_version: int | None = None) -> Any:
        """Extend the deadline; its extension decision (number, date, file) is registered."""
        return self._documented(
            actor, ref, lambda: self.extend_deadline(
                actor, ref, new_due_date=new_due_date, reason=reason, decision_no=decision_no,
                decision_date=decision_date, expected_version=expected_version),
            number=decision_no, issued_on=decision_date, doc_type="quyet_dinh",
            summary=f"Gia hạn giải quyết: {reason}", purpose="extension",
            fields={"number": "decision_no", "issued_on": "decision_date"},
            file_data=file_data, filename=filename)

    def issue_decision_documented(self, actor: Actor, ref: Any, *, result: str, text: str,
                                  decided_on: date, decision_no: str = "",
                                  file_data: bytes | None = None, filename: str = "",
                                  expected_version: int | None = None) -> Any:
        """Record a complaint's decision; with its number it is registered as a document."""
        return self._documented(
            actor, ref, lambda: self.issue_decision(
                actor, ref, result=result, text=text, decided_on=decided_on,
                decision_no=decision_no, expected_version=expected_version),
            number=decision_no, issued_on=decided_on, doc_type="quyet_dinh", summary=text,
            purpose="decision", fields={"number": "decision_no", "issued_on": "decided_on"},
            file_data=file_data, filename=filename)

    def record_result_notice_documented(self, actor: Actor, ref: Any, *, notice_no: str,
                                        notice_date: date, summary: str,
                                        file_data: bytes | None = None, filename: str = "",
                                        expected_version: int | None = None) -> Any:
        """Record a forwarded đơn's result notice; it is registered as an incoming document."""
        return self._documented(
            actor, ref, lambda: self.record_result_notice(
                actor, ref, notice_no=notice_no, notice_date=notice_date, summary=summary,
                expected_version=expected_version),
            number=notice_no, issued_on=notice_date, doc_type="thong_bao", summary=summary,
            purpose="result_notice", issuer_of=lambda i: str(getattr(i, "forwarded_to", "")),
            fields={"number": "notice_no", "issued_on": "notice_date"},
            file_data=file_data, filename=filename)

    def forward_with_slip(self, actor: Actor, ref: Any, *, to_body: str, reason: str,
                          expected_version: int | None = None) -> Any:
        """Forward a đơn; the office's numbered transfer slip goes with it (issued and attached)."""
        receipt = self.forward_complaint(actor, ref, to_body=to_body, reason=reason,
                                         expected_version=expected_version)
        if not permissions.may_register_documents(actor):
            return receipt
        slip = self.issue_transfer_slip(actor, receipt.code)
        return type(receipt)(receipt.id, receipt.code, receipt.version + 1, slip["position"])

    def _documented(self, actor: Actor, ref: Any, act: Any, *, number: str,
                    issued_on: date | None, doc_type: str, summary: str, purpose: str,
                    fields: dict[str, str], file_data: bytes | None, filename: str,
                    issuer_of: Any = None) -> Any:
        """Take ``act`` (an item command); register the document it records and link it.

        Everything about the document is checked before the command runs, so a refused
        document leaves the item as it was. A document already in the register (one decision
        for several items) is linked again rather than registered twice.
        """
        if not (number and issued_on):
            if file_data:
                raise InvalidInput({fields["number"]: [N_(
                    "Give the document's number and date to register its file.")]})
            return act()
        # The command is rehearsed first (nothing stored), so a command the domain refuses
        # is refused with the domain's own message before the document is looked at.
        rehearse(act)
        item = self._load_visible(actor, ref)
        issuer = (issuer_of or (lambda i: self._agency_name(i.agency) or OFFICE_NAME))(item)
        try:
            facts = check_document({
                "number": number, "sign": "", "issued_on": issued_on, "issuer": issuer or "—",
                "doc_type": doc_type, "direction": "incoming", "summary": summary or "—",
                "item_codes": [item.code]}, today=self.today())
        except InvalidInput as err:
            raise InvalidInput({fields.get(k, k): v for k, v in err.errors.items()}) from None
        checked = self.check_upload(file_data, filename) if file_data else None
        receipt = act()
        item = self._load(receipt.id, TrackedItem)
        fresh = OfficialDocument.register(
            facts, file=checked.facts() if checked else None, personal=False, by=actor,
            at=self.now())
        try:
            doc = self.repository.get(fresh.id)
            doc.link([item.code], by=actor, at=self.now())
        except AggregateNotFoundError:
            doc = fresh
        item.link_document(self._link_facts(doc), purpose=purpose, by=actor, at=self.now())
        if checked:
            self.blobs.put(checked.data)
        return self._save_receipt(item, doc)

    def _agency_name(self, agency: str | None) -> str:
        entry = self.reference().get("agencies", {}).get(agency or "", {})
        return entry.get("name_vi") or entry.get("name") or agency or ""

    # -- outgoing documents: urging letters and transfer slips ---------------------------------
    def issue_urging_letter(self, actor: Actor, ref: Any, *, note: str = "",
                            signer: str = "") -> dict[str, Any]:
        """Issue a numbered urging letter (công văn đôn đốc) for one item to its agency."""
        result = self.issue_urging_letters(actor, [ref], note=note, signer=signer)
        if result["refused"]:
            refused = result["refused"][0]
            raise InvalidInput({"codes": [refused["reason"]]})
        return result["issued"][0]

    def issue_urging_letters(self, actor: Actor, codes: list[Any], *, note: str = "",
                             signer: str = "") -> dict[str, Any]:
        """Issue one urging letter per agency for the listed items (the bulk action "urge").

        Returns ``{"issued": [document…], "refused": [{"code", "reason"}…]}``: an item out of
        the actor's scope, unknown, closed or with no agency is refused with its reason,
        the others are urged; each urged item records the letter in its history.
        """
        if not permissions.may_register_documents(actor):
            raise PermissionDenied(action="urge")
        if len(codes) > MAX_URGED:
            raise InvalidInput({"codes": [N_("At most {max} items at once.").replace(
                "{max}", str(MAX_URGED))]})
        by_agency: dict[str, list[TrackedItem]] = {}
        refused: list[dict[str, str]] = []
        for code in dict.fromkeys(str(c).strip() for c in codes):
            try:
                item = self._load_visible(actor, normalise_code(code) or code)
            except ItemNotFound:
                refused.append({"code": code, "reason": N_("No such item.")})
                continue
            if not item.is_open or not item.agency:
                refused.append({"code": item.code, "reason": N_(
                    "Only an open item assigned to an agency can be urged.")})
                continue
            by_agency.setdefault(item.agency, []).append(item)
        issued = [self._urge(actor, agency, items, note, signer)
                  for agency, items in by_agency.items()]
        return {"issued": issued, "refused": refused}

    def _urge(self, actor: Actor, agency: str, items: list[TrackedItem], note: str,
              signer: str) -> dict[str, Any]:
        from petitions.letters import render_urging_letter

        today = self.today()
        counter = self._register_counter(today.year)
        counter.allocate(self.now())
        number = str(counter.last)
        recipient = self._agency_name(agency)
        rows = [{"code": i.code, "title": i.title, "due_date": i.due_date,
                 "days_late": max(0, (today - i.due_date).days) if i.due_date else 0,
                 "received_on": i.received_on} for i in items]
        pdf = render_urging_letter(
            number=number, sign=URGING_SIGN, issued_on=today, issuer=OFFICE_NAME,
            recipient=recipient, items=rows, note=note, signer=signer)
        checked = check_file(pdf, f"cong-van-don-doc-{number}.pdf", max_mb=100)
        summary = (f"V/v đôn đốc giải quyết {len(items)} kiến nghị, đơn thư quá hạn"
                   if len(items) > 1 else f"V/v đôn đốc giải quyết {items[0].code}")
        facts = check_document({
            "number": number, "sign": URGING_SIGN, "issued_on": today, "issuer": OFFICE_NAME,
            "doc_type": "cong_van", "direction": "outgoing", "summary": summary,
            "signer": signer, "recipient": recipient, "item_codes": [i.code for i in items],
        }, today=today)
        doc = self._new_document(actor, facts, checked, personal=False)
        for item in items:
            item.link_document(self._link_facts(doc), purpose="urging", by=actor, at=self.now())
        self.blobs.put(pdf)
        recordings = self._save(counter, doc, *items)
        return {**doc.to_dict(), "agency": agency, "position": recordings[-1].notification.id}

    def issue_transfer_slip(self, actor: Actor, ref: Any, *, signer: str = "") -> dict[str, Any]:
        """Issue the numbered transfer slip (phiếu chuyển đơn) of a forwarded đơn, attached."""
        from petitions.letters import render_transfer_slip

        if not permissions.may_register_documents(actor):
            raise PermissionDenied(action="register documents for")
        item = self._load_visible(actor, ref)
        to_body = getattr(item, "forwarded_to", None)
        if not isinstance(item, Complaint) or not to_body:
            raise InvalidInput({"codes": [N_("Only a forwarded đơn has a transfer slip.")]})
        today = self.today()
        counter = self._register_counter(today.year)
        counter.allocate(self.now())
        number = str(counter.last)
        recipient = to_body if isinstance(to_body, str) else str(to_body)
        pdf = render_transfer_slip(number=number, sign=TRANSFER_SIGN, issued_on=today,
                                   issuer=OFFICE_NAME, recipient=recipient, code=item.code,
                                   title=item.title, received_on=item.received_on,
                                   signer=signer)
        checked = check_file(pdf, f"phieu-chuyen-{number}.pdf", max_mb=100)
        facts = check_document({
            "number": number, "sign": TRANSFER_SIGN, "issued_on": today, "issuer": OFFICE_NAME,
            "doc_type": "phieu_chuyen", "direction": "outgoing",
            "summary": f"Chuyển đơn {item.code} đến {recipient}", "signer": signer,
            "recipient": recipient, "item_codes": [item.code],
        }, today=today)
        # The slip encloses the đơn, which names its sender: personal like the đơn itself.
        doc = self._new_document(actor, facts, checked, personal=True)
        item.link_document(self._link_facts(doc), purpose="transfer", by=actor, at=self.now())
        self.blobs.put(pdf)
        recordings = self._save(counter, doc, item)
        return {**doc.to_dict(), "position": recordings[-1].notification.id}

    def _register_counter(self, year: int) -> CodeCounter:
        try:
            return self.repository.get(CodeCounter.create_id(REGISTER_PREFIX, year))
        except AggregateNotFoundError:
            return CodeCounter(REGISTER_PREFIX, year)


def _collect(errors: dict[str, list[str]], check: Any) -> Any:
    """Run ``check``; add its field errors to ``errors`` instead of raising (None then)."""
    try:
        return check()
    except InvalidInput as err:
        errors.update(err.errors)
        return None
