"""Policies side by side: one column per policy, one row per fact of the label, linked to its text."""
