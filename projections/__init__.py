"""Read models: SQLAlchemy tables built from the event stream, with their queries."""
