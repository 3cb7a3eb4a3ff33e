"""Version pairs of one fictitious policy, each differing from the base in exactly one known way."""

from __future__ import annotations

import textwrap

TITLE = "# Brightwater Mail Privacy Policy\n\nLast updated: January 10, 2024\n"

SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Information We Collect",
        [
            "When you create a Brightwater Mail account we collect your name, your email address "
            "and the phone number you give us for account recovery.",
            "We also collect the IP address and device type you use to sign in, so that we can "
            "spot sign-ins that do not look like yours.",
        ],
    ),
    (
        "How We Use Cookies",
        [
            "We use cookies to keep you signed in and to remember the language you chose.",
            "You can block cookies in your browser settings, but you will then have to sign in "
            "each time you visit.",
        ],
    ),
    (
        "Sharing Your Information",
        [
            "We share your information with the hosting provider that stores our servers and "
            "with the payment processor that handles your subscription.",
            "These providers may use your information only to provide their service to us.",
        ],
    ),
    (
        "How Long We Keep Your Data",
        [
            "We keep the messages in your trash folder for 30 days before we delete them.",
            "Billing records are kept for as long as the tax law of Ireland requires.",
        ],
    ),
    (
        "Security",
        [
            "Your mailbox is encrypted at rest and every connection to our servers uses TLS.",
            "Our staff can reach customer data only through audited and logged tools.",
        ],
    ),
    (
        "Your Rights",
        [
            "You can download a copy of all your messages and contacts at any time from the "
            "settings page.",
            "You can ask us to delete your account and all the personal data we hold about you.",
            "You can correct your name and recovery phone number in your profile.",
        ],
    ),
    (
        "Contact Us",
        [
            "Write to privacy@brightwater.example or to Brightwater Mail Ltd, 4 Quay Street, "
            "Galway, Ireland.",
        ],
    ),
]


def render(sections: list[tuple[str, list[str]]], width: int = 0, spacing: str = " ") -> str:
    """The policy as Markdown; ``width`` wraps paragraphs, ``spacing`` joins sentences."""
    parts = [TITLE]
    for title, sentences in sections:
        paragraph = spacing.join(sentences)
        if width:
            paragraph = textwrap.fill(paragraph, width=width)
        parts.append(f"## {title}\n\n{paragraph}\n")
    return "\n".join(parts)


def _edit(title: str, old: str, new: str) -> list[tuple[str, list[str]]]:
    edited = []
    for section_title, sentences in SECTIONS:
        if section_title == title:
            sentences = [sentence.replace(old, new) for sentence in sentences]
        edited.append((section_title, sentences))
    return edited


BASE = render(SECTIONS)

# "Security" moves up to second place; "How We Use Cookies" is renamed, its text unchanged.
_reordered = [SECTIONS[0], SECTIONS[4], SECTIONS[1], SECTIONS[2], SECTIONS[3], *SECTIONS[5:]]
_reordered[2] = ("Cookies and Similar Technologies", _reordered[2][1])
REORDERED_AND_RENAMED = render(_reordered)

RETENTION_CHANGED = render(_edit("How Long We Keep Your Data", "for 30 days", "for 2 years"))

SHARING_SENTENCE = (
    "We also share your precise location with advertising partners so that they can show you "
    "ads for shops near you."
)
_sharing = [
    (title, [*sentences, SHARING_SENTENCE] if title == "Sharing Your Information" else sentences)
    for title, sentences in SECTIONS
]
SHARING_ADDED = render(_sharing)

RIGHT_SENTENCE = SECTIONS[5][1][1]
RIGHT_REMOVED = render(
    [(t, [s for s in sentences if s != RIGHT_SENTENCE]) for t, sentences in SECTIONS]
)

# The same words, wrapped at 52 columns with two spaces between sentences and trailing blanks.
WHITESPACE_ONLY = "\n".join(
    line + ("   " if index % 3 == 0 else "")
    for index, line in enumerate(render(SECTIONS, width=52, spacing="  ").split("\n"))
)
