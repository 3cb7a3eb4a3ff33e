"""Versions of a policy: the changed-since-read bar and the side-by-side comparison."""
