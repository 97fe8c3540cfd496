"""The incoming and outgoing register: numbered, append-only, hash-chained entries."""
