"""The Flask web interface (built by the web issue)."""
