"""The application layer: use cases over the event store, configuration and the CLI."""
