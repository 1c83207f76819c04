"""Security headers and the sign-in rate limit."""
from __future__ import annotations

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# Charts are served as SVG data; their own styles are inline, scripts never run.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def login_key() -> str:
    """Rate-limit sign-in attempts per client address and user name."""
    name = (request.form.get("username") or "").strip().lower()[:64]
    return f"{get_remote_address()}|{name}"


def init(app: Flask) -> None:
    """Add security headers to every response and limit sign-in attempts."""
    from web import CSP

    limiter = Limiter(get_remote_address, app=app, default_limits=[],
                      storage_uri=app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["petitions_limiter"] = limiter
    view = app.view_functions["auth.login"]
    app.view_functions["auth.login"] = limiter.limit(
        lambda: app.config["LOGIN_RATE_LIMIT"], key_func=login_key, methods=["POST"],
        # Only failed attempts count: a colleague signing in repeatedly is not an attack.
        deduct_when=lambda response: response.status_code != 302,
    )(view)

    @app.after_request
    def add_headers(response: Response) -> Response:
        """Add the security headers."""
        is_svg = response.mimetype == "image/svg+xml"
        response.headers.setdefault("Content-Security-Policy", SVG_CSP if is_svg else CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            # Served over HTTPS: browsers should never fall back to plain HTTP.
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint and request.endpoint != "static":
            # Pages show personal data to handlers: keep them out of shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
