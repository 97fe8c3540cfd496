"""Submissions made by wizards and their registration outbox."""
