"""The electronic office: one Django app per domain (register, expedients, wizards...)."""
