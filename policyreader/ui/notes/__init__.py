"""The reader's notes: markers in the text, the notes panel and editor, review bundles."""
