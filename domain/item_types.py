"""Item types declared once: statuses and their groups, the lifecycle table, code prefix, roles.

Every tracked item type (voter petition, complaint with its kinds, later commitments and
reception records) is one ``ItemType`` registered here. The aggregates enforce its lifecycle
table; the application's permissions, the projection (which events it reads and how each
one moves the status), the web's actions and labels, the digest and the demo all read it.
No other list of statuses, actions or roles exists.

A type is declared beside its aggregate (``domain/petition.py``) and registered when that
module is imported; asking the registry anything imports the built-in types' modules first
(``_load_builtin_types``), so the answer is always complete.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from domain.actor import Role

class StatusGroup(str, Enum):
    """The four stages every status falls in; boards, charts and figures count by them."""

    OPEN = "open"                                   # not answered yet (includes parked)
    AWAITING_REVIEW = "awaiting_review"             # answered, the secretariat reviews it
    ANSWERED_IN_PROGRESS = "answered_in_progress"   # answer accepted, still being resolved
    CONCLUDED = "concluded"                         # ended: nothing more is owed


@dataclass(frozen=True)
class StatusSpec:
    """One status of a type: its stored value, its group and the words shown for it."""

    value: str
    group: StatusGroup
    label: str                 # English msgid (marked N_), translated by the web catalog
    paused: bool = False       # the agency owes nothing meanwhile: no deadline runs
    answered: bool = False     # the item ended with an answer or a decision (not merged, …)


# Result markers of a transition besides a plain status value.
SAME = "="                     # the status does not change
RESTORE = "<before pause>"     # back to the status the item had when it was parked
BY_OUTCOME = "<outcome>"       # the status named by the accepted answer's outcome


@dataclass(frozen=True)
class Transition:
    """One row of a lifecycle table: an action, where it is allowed, what it leads to, who."""

    action: str
    label: str                           # what the button says (English msgid)
    allowed: frozenset[str]              # statuses in which the action may be taken
    result: str | Mapping[str, str]      # a status, SAME, RESTORE, BY_OUTCOME, or {from: to}
    roles: frozenset[Role]
    events: tuple[str, ...] = ()         # names of the events that record the action
    verb: str = ""                       # "Cannot {verb} an item that is …" (default: action)
    kinds: frozenset[str] | None = None  # only items of these kinds (None: every kind)
    needs_due_date: bool = False         # only while the item has a due date

    @property
    def phrase(self) -> str:
        """Return the verb phrase used in refusals ("extend the deadline of")."""
        return self.verb or self.action

    def applies(self, status: str, kind: str, has_due_date: bool = True) -> bool:
        """Tell whether the action may be taken on an item of ``kind`` in ``status``."""
        if status not in self.allowed:
            return False
        if self.kinds is not None and kind not in self.kinds:
            return False
        return has_due_date or not self.needs_due_date

    def resulting(self, current: str, *, before_pause: str | None = None,
                  outcome_status: str | None = None) -> str:
        """Return the status after the action, from the status ``current`` it was taken in."""
        if isinstance(self.result, Mapping):
            return self.result.get(current, current)
        if self.result == SAME:
            return current
        if self.result == RESTORE:
            return before_pause or current
        if self.result == BY_OUTCOME:
            return outcome_status or current
        return self.result


@dataclass(frozen=True)
class ItemType:
    """Everything the system needs to know about one type of tracked item."""

    name: str                            # "petition", "complaint"
    label: str                           # English msgid ("voter petition")
    aggregate: type
    code_prefix: str                     # "KN"
    kinds: Mapping[str, str]             # kind value -> label msgid (a type has ≥ 1 kind)
    statuses: tuple[StatusSpec, ...]     # in display order
    initial: str
    lifecycle: tuple[Transition, ...]    # in display order
    create_roles: frozenset[Role]
    created_by: str                      # name of the creation event
    # The status an accepted answer's outcome leads to (for ``BY_OUTCOME`` rows).
    outcome_statuses: Mapping[str, str] = field(default_factory=dict)
    # Kinds whose sender the agency resolving the item must not learn (the agency may be
    # the one denounced: Luật Tố cáo 2018, art. 47).
    sender_hidden_from_agency: frozenset[str] = frozenset()
    _by_status: dict[str, StatusSpec] = field(init=False, repr=False, compare=False)
    _by_action: dict[str, Transition] = field(init=False, repr=False, compare=False)
    _by_event: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_status = {s.value: s for s in self.statuses}
        by_action = {t.action: t for t in self.lifecycle}
        object.__setattr__(self, "_by_status", by_status)
        object.__setattr__(self, "_by_action", by_action)
        object.__setattr__(self, "_by_event", {e: t for t in self.lifecycle for e in t.events})
        self._check(by_status, by_action)

    def _check(self, by_status: dict[str, StatusSpec], by_action: dict[str, Transition]) -> None:
        # A declaration that names a status it does not have is a typing slip: refuse it
        # when the module loads rather than let an action silently never apply.
        if len(by_status) != len(self.statuses) or len(by_action) != len(self.lifecycle):
            raise ValueError(f"{self.name}: a status or an action is declared twice")
        if self.initial not in by_status:
            raise ValueError(f"{self.name}: unknown initial status {self.initial!r}")
        for t in self.lifecycle:
            named = set(t.allowed)
            if isinstance(t.result, Mapping):
                named |= set(t.result) | set(t.result.values())
            elif t.result not in (SAME, RESTORE, BY_OUTCOME):
                named.add(t.result)
            unknown = named - set(by_status)
            if unknown:
                raise ValueError(f"{self.name}.{t.action}: unknown statuses {sorted(unknown)}")

    # -- statuses ----------------------------------------------------------------------------
    def status(self, value: str) -> StatusSpec:
        """Return the declaration of status ``value``."""
        return self._by_status[value]

    def group(self, value: str) -> StatusGroup:
        """Return the group of status ``value``."""
        return self._by_status[value].group

    @property
    def paused(self) -> frozenset[str]:
        """Statuses in which no deadline runs."""
        return frozenset(s.value for s in self.statuses if s.paused)

    def is_open(self, value: str) -> bool:
        """Tell whether an item in status ``value`` still needs work."""
        return self.group(value) is not StatusGroup.CONCLUDED

    # -- actions -----------------------------------------------------------------------------
    def transition(self, action: str) -> Transition:
        """Return the lifecycle row of ``action`` (KeyError if the type has none)."""
        return self._by_action[action]

    def has_action(self, action: str) -> bool:
        """Tell whether the type's lifecycle has ``action``."""
        return action in self._by_action

    def allows(self, action: str, status: str, kind: str, has_due_date: bool = True) -> bool:
        """Tell whether ``action`` may be taken on an item in ``status`` (roles aside)."""
        row = self._by_action.get(action)
        return row is not None and row.applies(status, kind, has_due_date)

    def actions_for(self, role: Role, status: str, kind: str,
                    has_due_date: bool = True) -> list[Transition]:
        """List, in display order, the actions ``role`` may take in ``status``."""
        return [t for t in self.lifecycle
                if role in t.roles and t.applies(status, kind, has_due_date)]

    def transition_for_event(self, event_name: str) -> Transition | None:
        """Return the lifecycle row recorded by events named ``event_name``, if any."""
        return self._by_event.get(event_name)

    # -- events ------------------------------------------------------------------------------
    def topic_prefix(self) -> str:
        """Return the prefix of the topics of the events this type's own class defines."""
        cls = self.aggregate
        return f"{cls.__module__}:{cls.__qualname__}."

    def topic_prefixes(self) -> tuple[str, ...]:
        """Return the prefixes of every event topic this type's aggregate records.

        Commands a base class shares (``TrackedItem.park``) record the base class's event
        (``domain.item:TrackedItem.Parked``), so the bases count too, up to the library's.
        """
        prefixes = []
        for cls in self.aggregate.__mro__:
            if cls.__module__.startswith("eventsourcing") or cls is object:
                break
            prefixes.append(f"{cls.__module__}:{cls.__qualname__}.")
        return tuple(prefixes)


class ItemTypeRegistry:
    """The registered item types, found by name, kind, aggregate class or code prefix."""

    def __init__(self, load: Callable[[], None] | None = None) -> None:
        self._types: dict[str, ItemType] = {}
        self._load_types = load
        self._loaded = False
        # Look-ups the projector makes for every event, rebuilt when a type registers.
        self._by_kind: dict[str, ItemType] = {}
        self._prefixes: tuple[str, ...] = ()
        self._by_event_class: dict[type, ItemType | None] = {}
        # Counts registrations, so callers may cache what they derive from the registry.
        self.generation = 0

    def register(self, item_type: ItemType) -> ItemType:
        """Add a type (once); its aggregate learns its declaration as ``item_type``."""
        known = self._types.get(item_type.name)
        if known is not None and known is not item_type:
            raise ValueError(f"item type {item_type.name!r} is registered already")
        for other in self._types.values():
            if other is not item_type and (other.code_prefix == item_type.code_prefix
                                           or set(other.kinds) & set(item_type.kinds)):
                raise ValueError(f"{item_type.name!r} shares a prefix or kind with {other.name!r}")
        self._types[item_type.name] = item_type
        item_type.aggregate.item_type = item_type
        self._reindex()
        return item_type

    def unregister(self, name: str) -> None:
        """Remove a type (tests that declare a type of their own use it to clean up)."""
        self._types.pop(name, None)
        self._reindex()

    def _reindex(self) -> None:
        self._by_kind = {kind: t for t in self._types.values() for kind in t.kinds}
        self._prefixes = tuple({p for t in self._types.values() for p in t.topic_prefixes()})
        self._by_event_class = {}
        self.generation += 1

    def _load(self) -> None:
        # Importing a type's module registers it; done on first use so that asking the
        # registry never returns a partial answer, whatever was imported before.
        if not self._loaded:
            self._loaded = True
            if self._load_types is not None:
                self._load_types()

    def __iter__(self) -> Iterator[ItemType]:
        self._load()
        return iter(list(self._types.values()))

    def get(self, name: str) -> ItemType:
        """Return the type called ``name``."""
        self._load()
        return self._types[name]

    def for_kind(self, kind: str) -> ItemType:
        """Return the type whose items have ``kind`` ("denunciation" → complaint)."""
        self._load()
        return self._by_kind[kind]

    def for_aggregate(self, cls: type) -> ItemType | None:
        """Return the type of aggregate class ``cls`` (or of a class it derives from)."""
        for t in self:
            if issubclass(cls, t.aggregate):
                return t
        return None

    def for_topic(self, topic: str) -> ItemType | None:
        """Return the type whose aggregate recorded an event of ``topic``."""
        for t in self:
            if topic.startswith(t.topic_prefix()):
                return t
        return None

    def records(self, topic: str) -> bool:
        """Tell whether ``topic`` is an event of a registered item type's aggregate."""
        self._load()
        return topic.startswith(self._prefixes)

    def for_event(self, event: Any) -> ItemType | None:
        """Return the type whose own class defines ``event``'s class (creation events)."""
        # Events of commands a base class shares belong to every type: the item's row or
        # aggregate tells which one; this answers only for a type's own events.
        cls = type(event)
        found = self._by_event_class.get(cls, False)
        if found is False:
            found = self.for_topic(f"{cls.__module__}:{cls.__qualname__}")
            self._by_event_class[cls] = found
        return found

    def code_prefixes(self) -> list[str]:
        """Return every registered code prefix."""
        return [t.code_prefix for t in self]

    # -- across types ------------------------------------------------------------------------
    def statuses(self) -> list[StatusSpec]:
        """Return every status once, group by group, each in declaration order."""
        seen: dict[str, StatusSpec] = {}
        for t in self:
            for spec in t.statuses:
                seen.setdefault(spec.value, spec)
        order = list(StatusGroup)
        return sorted(seen.values(), key=lambda spec: order.index(spec.group))

    def group_of(self, status: str) -> StatusGroup:
        """Return the group of ``status`` (the same in every type that has it)."""
        for spec in self.statuses():
            if spec.value == status:
                return spec.group
        raise KeyError(status)

    def statuses_in(self, *groups: StatusGroup) -> list[str]:
        """Return the statuses of any type that fall in ``groups``."""
        return [s.value for s in self.statuses() if s.group in groups]

    def answered_endings(self) -> list[str]:
        """Return the statuses in which an item ended with an answer or a decision."""
        return [s.value for s in self.statuses() if s.answered]

    def paused_statuses(self) -> list[str]:
        """Return the statuses in which no deadline runs, across types."""
        return [s.value for s in self.statuses() if s.paused]

    def open_statuses(self) -> list[str]:
        """Return every status in which an item still needs work."""
        return [s.value for s in self.statuses() if s.group is not StatusGroup.CONCLUDED]

    def kinds(self) -> dict[str, str]:
        """Return every kind with its label, across types."""
        return {kind: label for t in self for kind, label in t.kinds.items()}

    def roles_for(self, action: str, aggregate: type | None = None) -> frozenset[Role]:
        """Return the roles that may take ``action`` on some type (of ``aggregate``, if given)."""
        roles: set[Role] = set()
        for t in self:
            if aggregate is not None and not issubclass(t.aggregate, aggregate):
                continue
            if t.has_action(action):
                roles |= t.transition(action).roles
        return frozenset(roles)


def type_of(item: Any) -> ItemType:
    """Return the declaration of an aggregate instance or class."""
    declared = getattr(item, "item_type", None)
    if declared is None:
        REGISTRY._load()
        declared = getattr(item, "item_type", None)
    if declared is None:
        raise LookupError(f"{item!r} is not a registered item type")
    return declared


def _load_builtin_types() -> None:
    """Import the modules that declare the built-in item types (each registers itself)."""
    from domain import complaint, petition  # noqa: F401
    from domain import commitment  # noqa: F401  (after the others: lists keep their order)


REGISTRY = ItemTypeRegistry(_load_builtin_types)
