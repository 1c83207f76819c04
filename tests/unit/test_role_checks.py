"""The web asks ``petitions.permissions`` who may see or do what; it names no role to decide it.

Role tuples copied into views and templates drift apart (issue 11). In web/, a ``Role``
member may appear only where a role picks something other than a permission — the
landing page after sign-in — and no code or template compares a user's role.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
WEB = ROOT / "web"
# file -> why it may name roles
ALLOWED = {
    "web/views/auth.py": "the landing page each role is sent to after signing in",
}
ROLE_MEMBER = re.compile(r"\bRole\.[A-Z][A-Z_]*\b")
# ``user.role == …``, ``me.role in (…)``, ``role is …`` in a template or in code
ROLE_TEST = re.compile(r"\.role\s*(?:==|!=|\bis\b|\bin\b|\bnot\s+in\b)")


def role_members(source: str) -> list[int]:
    """Return the lines of a Python source that name a ``Role`` member (``Role.ADMIN``)."""
    return sorted({node.lineno for node in ast.walk(ast.parse(source))
                   if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                   and node.value.id == "Role" and node.attr.isupper()})


def role_tests(source: str) -> list[int]:
    """Return the lines of a Python source that compare something's ``.role``."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Attribute) and o.attr == "role" for o in operands):
                lines.add(node.lineno)
    return sorted(lines)


def template_offences(text: str) -> list[int]:
    """Return the lines of a template that name a role member or compare a user's role."""
    return [number for number, line in enumerate(text.splitlines(), 1)
            if ROLE_MEMBER.search(line) or ROLE_TEST.search(line)]


def offences() -> list[str]:
    """List every place in web/ that decides by role instead of asking permissions."""
    found = []
    for path in sorted(WEB.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        source = path.read_text("utf-8")
        lines = set(role_tests(source)) | set([] if name in ALLOWED else role_members(source))
        found += [f"{name}:{line}" for line in sorted(lines)]
    for path in sorted((WEB / "templates").rglob("*.html")):
        name = path.relative_to(ROOT).as_posix()
        found += [f"{name}:{line}" for line in template_offences(path.read_text("utf-8"))]
    return found


def test_no_view_query_or_template_decides_by_naming_roles() -> None:
    assert offences() == []


def test_each_file_allowed_to_name_roles_still_does() -> None:
    # An entry nobody needs any more would quietly allow role tuples back in.
    unused = [name for name in ALLOWED if not role_members((ROOT / name).read_text("utf-8"))]

    assert unused == []


def test_a_role_tuple_in_a_view_is_caught() -> None:
    source = "CITY = (Role.SECRETARIAT, Role.ADMIN)\n"

    assert role_members(source) == [1]


def test_a_role_comparison_in_a_view_is_caught() -> None:
    source = "def view(me):\n    if me.role is not SCOPED:\n        return 1\n"

    assert role_tests(source) == [2]


def test_a_role_condition_in_a_template_is_caught() -> None:
    text = "<ul>\n{% if user.role in (Role.SECRETARIAT, Role.ADMIN) %}<li>…</li>{% endif %}\n"

    assert template_offences(text) == [2]


def test_showing_a_users_role_label_in_a_template_is_not_an_offence() -> None:
    text = "<span>{{ label('role', user.role.value) }}</span>\n"

    assert template_offences(text) == []
