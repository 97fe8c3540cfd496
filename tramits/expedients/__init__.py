"""Expedients opened from register entries: states, terms, documents, timeline, tasks."""
