"""The citizen's private area: expedients, receipts, drafts, notifications."""
