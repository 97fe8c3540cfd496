"""Staff screens in the Wagtail admin: inboxes, expedient detail, desk registration."""
