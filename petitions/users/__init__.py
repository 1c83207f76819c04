"""Users of the web app: the store (``store``), the demo accounts (``demo``), ``petitions user``."""
