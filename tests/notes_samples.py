"""A fictitious policy and its edited version, shared by the notes, anchoring and CLI tests."""

from __future__ import annotations

POLICY_V1 = """\
# Larkspur Maps Privacy Policy

Last updated: March 3, 2026

## Information We Collect

When you create an account we ask for your name, email address and a password.

Our app records the location of your device while a route is being planned, so that it can \
suggest nearby stops.

## How We Use Information

We use your email address to send receipts and important notices about your account.

We keep route history for thirty days and then delete it from our servers.

We may combine usage statistics from many users to improve travel time estimates.

## Sharing

We share aggregated travel statistics with city transport authorities.

We do not sell your personal information to anyone.

## Your Choices

You can turn off location tracking at any time in the app settings.
"""

INSERTED = "We also collect the make and model of your phone so that we can fix crashes."
MOVED_QUOTE = "We do not sell your personal information to anyone."
FUZZY_QUOTE = "We keep route history for thirty days and then delete it from our servers."
FUZZY_NEW = "We keep route history for ninety days and then delete it from our servers."
ORPHAN_QUOTE = "We may combine usage statistics from many users to improve travel time estimates."

# v2: a paragraph inserted above every note, one word changed in a noted passage, another deleted.
POLICY_V2 = (
    POLICY_V1.replace("suggest nearby stops.\n", "suggest nearby stops.\n\n" + INSERTED + "\n")
    .replace(FUZZY_QUOTE, FUZZY_NEW)
    .replace(ORPHAN_QUOTE + "\n\n", "")
)

NOTED = {
    "moved": (MOVED_QUOTE, "Check their partner list: is this true?"),
    "fuzzy": (FUZZY_QUOTE, "Thirty days seems short; ask about backups."),
    "orphaned": (ORPHAN_QUOTE, "Which statistics exactly?"),
}
