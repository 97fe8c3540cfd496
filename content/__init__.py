"""Public site: Wagtail pages, snippets and site settings."""
