"""``petitions user add``: create a user of the web app from the command line."""
from __future__ import annotations

from typing import Any

from domain.errors import DomainError, InvalidInput
from petitions.settings import Settings
from petitions.users.store import LANGUAGES, USER_ROLES, UserStore


def register(sub: Any) -> None:
    """Register ``petitions user add`` on the CLI's subparsers."""
    parser = sub.add_parser("user", help="manage the web app's users")
    actions = parser.add_subparsers(title="user commands", metavar="ACTION")
    add = actions.add_parser("add", help="create a user (asks for the password)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in USER_ROLES])
    add.add_argument("--district", help="unit code, for district staff (e.g. ba-dinh)")
    add.add_argument("--agency", help="agency code, for agency staff (e.g. so-xay-dung)")
    add.add_argument("--deputy-group", help="deputy group code, for deputies (e.g. to-01)")
    add.add_argument("--name", default="", help="name shown in the app")
    add.add_argument("--language", default="vi", choices=list(LANGUAGES))
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input instead of asking")
    add.set_defaults(command=cmd_user_add)
    reset = actions.add_parser(
        "reset-two-factor", help="remove a user's two-factor setup (a lost phone, and no "
        "other administrator to do it); they set it up again at their next sign-in")
    reset.add_argument("username")
    reset.set_defaults(command=cmd_user_reset_two_factor)


def cmd_user_add(args: Any, settings: Settings) -> int:
    """Create one user; the password is asked twice (or read from stdin)."""
    import getpass
    import sys

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 1
    from petitions.application import Tracker

    tracker = Tracker(settings)
    try:
        reference = tracker.reference()
        # A user's scope is a unit, agency or group that exists today (issue 12).
        problems = tracker.check_scope(district=args.district, agency=args.agency,
                                       deputy_group=args.deputy_group)
    except DomainError:  # reference data not loaded yet: codes cannot be checked
        reference, problems = None, []
    finally:
        tracker.close()
    if problems:
        for problem in problems:
            print(f"{problem.field}: {problem.message}", file=sys.stderr)
        return 1
    store = UserStore.from_settings(settings)
    try:
        user = store.add(args.username, password, args.role, district=args.district,
                         agency=args.agency, deputy_group=args.deputy_group,
                         display_name=args.name, language=args.language, reference=reference,
                         created_by="command line")
    except InvalidInput as err:
        for field, messages in err.errors.items():
            print(f"{field}: {' '.join(messages)}", file=sys.stderr)
        return 1
    print(f"Created {user.username} ({user.role.value}).")
    return 0


def cmd_user_reset_two_factor(args: Any, settings: Settings) -> int:
    """Reset one user's two-factor sign-in from the command line (recorded as such)."""
    import sys

    from domain.actor import Actor, Role
    from petitions.users.accounts import AccountNotFound, Accounts

    accounts = Accounts.from_settings(settings, UserStore.from_settings(settings))
    try:
        accounts.reset_two_factor(Actor("command line", Role.ADMIN), args.username)
    except AccountNotFound:
        print(f"There is no user {args.username}.", file=sys.stderr)
        return 1
    print(f"Two-factor sign-in of {args.username} was reset; their sessions ended.")
    return 0
