"""Schemas of the admin's account forms: a new user, and a change of role and scope."""
from __future__ import annotations

from domain.text import NAME_MAX
from web.schemas import BaseSchema, Code, Text


class NewUserSchema(BaseSchema):
    """A new account: name, role and scope, language, first password."""

    username = Code()
    display_name = Text(load_default="", max_length=NAME_MAX)
    role = Code()
    district = Code()
    agency = Code()
    deputy_group = Code()
    language = Code(load_default="vi")
    password = Text()


class RoleSchema(BaseSchema):
    """Another role, with the unit, agency or deputy group it is limited to."""

    role = Code()
    district = Code()
    agency = Code()
    deputy_group = Code()
