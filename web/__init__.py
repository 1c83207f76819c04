"""The Flask web app: ``create_app`` wires settings, runtime, users, security and blueprints."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from petitions.settings import Settings

# Content Security Policy: no inline scripts or styles, nothing from other origins.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the web app; ``config`` overrides settings for tests (e.g. ``SETTINGS``, ``CLOCK``)."""
    from argon2 import PasswordHasher
    from argon2.profiles import RFC_9106_LOW_MEMORY
    from flask_babel import Babel
    from flask_wtf.csrf import CSRFProtect

    from petitions.users.store import UserStore
    from web import errors, i18n, input_check, login, security
    from web.wiring import build_runtime

    config = dict(config or {})
    app = Flask(__name__)
    settings: Settings = config.pop("SETTINGS", None) or Settings.from_env()
    testing = bool(config.get("TESTING"))
    app.config.from_mapping(
        SETTINGS=settings,
        SECRET_KEY=settings.effective_secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # The cookie lives with the browser; the server-side session record (10 hours
        # absolute, idle timeout) decides whether it still works (petitions/users/sessions.py).
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        MAX_CONTENT_LENGTH=1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_ENABLED=True,
        BABEL_DEFAULT_LOCALE=settings.language if settings.language in i18n.LANGUAGES else "vi",
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        BABEL_TRANSLATION_DIRECTORIES=str(i18n.TRANSLATIONS),
        PAGE_SIZE=50,
    )
    app.config.update(config)
    if "SESSION_COOKIE_SECURE" not in config:
        app.config["SESSION_COOKIE_SECURE"] = secure_cookies(settings, app.testing or app.debug)
        app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    i18n.compile_catalogs()
    runtime = config.get("RUNTIME") or build_runtime(settings, clock=config.get("CLOCK"))
    app.extensions["petitions"] = runtime
    _ensure_reference(runtime)
    # RFC 9106's low-memory profile (argon2-cffi's default): about 0.4 s per sign-in here.
    # Older hashes still verify (their parameters are in the hash) and are rehashed on sign-in.
    hasher = config.get("PASSWORD_HASHER") or PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
    views = getattr(runtime, "views", None)
    if views is not None:  # share the read-model engine (same file or schema)
        store = UserStore(views.engine, hasher=hasher)
        store.create_all()
    else:
        store = UserStore.from_settings(settings, hasher=hasher)
    app.extensions["petitions_users"] = store
    app.extensions["petitions_accounts"] = _accounts(app, settings, store)
    if settings.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]

    csrf = CSRFProtect(app)
    input_check.register(app)  # before CSRF and every view: one rule for all input
    from web import uploads  # issue 17: upload forms take the attachment limit

    uploads.register(app)  # before the input check reads (and size-checks) the form
    Babel(app, locale_selector=i18n.select_locale)
    login.init(app, app.extensions["petitions_accounts"])

    _register_blueprints(app)
    _register_api_writes(app, csrf, store)
    security.init(app)
    errors.register(app)
    _watch_recovery(app, views)
    _register_template_helpers(app)
    return app


def _accounts(app: Flask, settings: Settings, store: Any) -> Any:
    """Build the account use cases: sessions and the sign-in limit in the views database.

    ``AUTH_CLOCK`` (tests) moves session expiry, the limit's windows and TOTP time steps
    without touching the business clock items are dated by.
    """
    from petitions.users.accounts import Accounts

    return Accounts.from_settings(settings, store, clock=app.config.get("AUTH_CLOCK"))


def secure_cookies(settings: Settings, testing: bool) -> bool:
    """Mark cookies Secure, except in tests and for the plain-HTTP demo on this machine."""
    from urllib.parse import urlsplit

    if testing:
        return False
    url = urlsplit(settings.base_url)
    return not (url.scheme == "http" and url.hostname in ("127.0.0.1", "localhost", "::1"))


def _ensure_reference(runtime: Any) -> None:
    """Load the shipped reference data when the store has none (a fresh embedded install)."""
    from petitions.errors import ItemNotFound

    try:
        runtime.tracker.reference()
    except ItemNotFound:
        runtime.tracker.load_reference()


def _watch_recovery(app: Flask, views: Any) -> None:
    """End a database outage (logged with its count) at the first connection that works."""
    from sqlalchemy import event

    outage = app.extensions["petitions_outage"]
    if views is not None:
        event.listen(views.engine, "engine_connect", lambda *_: outage.recovered())


def _register_blueprints(app: Flask) -> None:
    from web.views import (
        account, admin, api, auth, boards, complaints, items, outbox, petitions, queues,
    )

    modules = (auth, account, petitions, complaints, items, queues, boards, api, admin, outbox)
    for module in modules:
        app.register_blueprint(module.bp)
    from web.views import digests  # issue 7: PDF digests
    app.register_blueprint(digests.bp)
    from web.views import policy_admin  # issue 13: official calendar and dated policy
    app.register_blueprint(policy_admin.bp)
    from web.views import handover  # issue 12: hand-over of abolished units' items
    app.register_blueprint(handover.bp)
    from web.views import reference_admin  # issue 12: reference data as dated history
    app.register_blueprint(reference_admin.bp)
    from web.views import commitments  # issue 15: questioning sessions and commitments
    app.register_blueprint(commitments.bp)
    from web.views import documents  # issue 17: document register, files, urging letters
    app.register_blueprint(documents.bp)
    from web.views import intake  # issue 17: spreadsheet intake
    app.register_blueprint(intake.bp)
    from web.views import notices, public  # issue 18: inbox, receipts, public lookup
    app.register_blueprint(notices.bp)
    app.register_blueprint(public.bp)
    app.jinja_env.globals["describe_public"] = public.describe

    from web.views import reports  # issue 16: stock reports at a date
    app.register_blueprint(reports.bp)


def _register_api_writes(app: Flask, csrf: Any, store: Any) -> None:
    """The write API and its tokens (issue 18): bearer tokens instead of CSRF tokens."""
    from petitions.users.tokens import TokenStore
    from web import api_auth
    from web.views import api_write, tokens

    app.extensions["petitions_tokens"] = TokenStore(store.engine, store)
    api_auth.register(app, app.extensions["petitions_tokens"])
    csrf.exempt(api_write.bp)  # every change there needs a bearer token (web.api_auth)
    app.register_blueprint(api_write.bp)
    from web.views import api_twins  # the creation forms' twins, bulk actions

    csrf.exempt(api_twins.bp)
    app.register_blueprint(api_twins.bp)
    from web.views import api_admin  # webhooks, recipients, the outbox

    csrf.exempt(api_admin.bp)
    app.register_blueprint(api_admin.bp)
    from web.views import api_work  # an item's document forms

    csrf.exempt(api_work.bp)
    app.register_blueprint(api_work.bp)
    app.register_blueprint(tokens.bp)
    from web.views import recipients, webhooks

    app.register_blueprint(recipients.bp)
    app.register_blueprint(webhooks.bp)
    from web.views import open311

    app.register_blueprint(open311.bp)


def _register_template_helpers(app: Flask) -> None:
    from flask_login import current_user

    from web import context, design, i18n, item_table, labels, timeline, units

    app.jinja_env.filters["d"] = i18n.format_date
    app.jinja_env.filters["dt"] = i18n.format_datetime
    app.jinja_env.filters["pct"] = i18n.format_percent
    app.jinja_env.filters["num"] = i18n.format_count
    app.jinja_env.filters["dmy"] = design.dmy
    app.jinja_env.globals.update(
        label=labels.label, ref_name=labels.ref_name, choices=labels.choices,
        ref_choices=labels.ref_choices, dated_choices=labels.dated_choices,
        option_tags=labels.option_tags,
        escalation_label=labels.escalation_label, translate=i18n.translate,
        unit_label=labels.unit_label, unit_label_on=labels.unit_label_on,
        unit_label_of=labels.unit_label_of,
        suspension_grounds=labels.suspension_grounds, can=context.can,
        units_in_force=units.units_in_force,
        extension_decision_text=timeline.extension_decision_text,
        today_iso=lambda: context.tracker().today().isoformat(),
        status_group=design.status_group, days_left=design.days_left,
        deadline_state=design.deadline_state, days_text=design.days_text,
        changed_since=design.changed_since, item_table=item_table.item_rows_html,
    )

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        """Give every template the user, what their lists are narrowed to, and the language."""
        from flask_babel import get_locale

        from web.views.notices import unread

        return {"user": current_user, "scope": context.scope(), "lang": str(get_locale() or "vi"),
                "url_map_endpoints": app.view_functions, "unread_notices": unread}
