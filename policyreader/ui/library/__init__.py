"""The Notes Library window: every policy's notes, searchable."""
