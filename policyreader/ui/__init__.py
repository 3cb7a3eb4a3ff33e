"""Qt widgets: thin panels that call core and storage."""
