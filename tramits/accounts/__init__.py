"""Citizen and staff accounts: the custom user model and its profile."""
