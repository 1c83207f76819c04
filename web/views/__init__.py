"""One blueprint per area of the web app."""
