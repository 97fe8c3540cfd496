"""Issued documents with a secure verification code (CSV) and the public verification page."""
