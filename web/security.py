"""Security headers, and the client address the sign-in limit counts by."""
from __future__ import annotations

from flask import Flask, Response, request

# Charts are served as SVG data; their own styles are inline, scripts never run.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def client_address() -> str:
    """Return the client's address (the proxy's ``X-Forwarded-For`` only when trusted).

    ``PETITIONS_TRUSTED_PROXIES`` wraps the app in ProxyFix (``create_app``), so behind a
    proxy each client is counted on its own instead of everyone as the proxy.
    """
    return (request.remote_addr or "")[:64]


def init(app: Flask) -> None:
    """Add security headers to every response."""
    from web import CSP

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
