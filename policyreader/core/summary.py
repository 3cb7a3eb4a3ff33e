"""Practices -> the policy's "nutrition label": what it states, with its sentences, and what not."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from policyreader.core.document import PolicyDocument
from policyreader.core.practices.polarity import Polarity
from policyreader.core.practices.practice import Practice
from policyreader.core.practices.taxonomy import LABELS, PRACTICE_CATEGORIES, Attribute, Category

Span = tuple[int, int]

# Words for the attribute value ids of the detector's lexicon; an unknown id is shown humanised.
VALUE_WORDS: dict[str, str] = {
    # data types
    "contact": "Contact details",
    "location": "Location",
    "financial": "Payment and financial data",
    "health": "Health data",
    "device_identifiers": "Device identifiers and IP address",
    "cookies_tracking": "Cookies and tracking",
    "online_activity": "Online activity",
    "demographics": "Demographics",
    "user_content": "Content you create",
    "account_credentials": "Account credentials",
    "social_media": "Social media data",
    "government_id": "Government ID numbers",
    # purposes
    "service_operation": "Running the service",
    "advertising": "Advertising",
    "marketing": "Marketing",
    "analytics_research": "Analytics and research",
    "personalization": "Personalisation",
    "security_fraud": "Security and fraud prevention",
    "legal": "Legal requirements",
    "merger": "Mergers and acquisitions",
    # third parties
    "service_providers": "Service providers",
    "advertisers": "Advertisers",
    "analytics": "Analytics companies",
    "affiliates": "Affiliates",
    "business_partners": "Business partners",
    "social_networks": "Social networks",
    "government_legal": "Government and legal requests",
    "buyer_in_merger": "A buyer in a merger",
    "unnamed_third_parties": "Unnamed third parties",
    # choices
    "opt_out_link": "Opt out",
    "opt_in_consent": "Consent (opt in)",
    "browser_cookie_controls": "Browser and cookie controls",
    "account_settings": "Account settings",
    "dont_use_service": "Not using the service",
    "contact_company": "Contacting the company",
    # rights
    "access": "Access",
    "correct": "Correct",
    "delete": "Delete",
    "export": "Export",
    # audiences
    "children_under_13": "Children under 13",
    "children_under_16": "Children under 16",
    "children": "Children",
    "eu": "EU / EEA / UK",
    "california": "California",
    "other_regions": "Other regions",
    "international_transfer": "Transfers abroad",
}

# The questions of the label, per category: (heading of the line, attribute asked).
QUESTIONS: dict[Category, tuple[tuple[str, Attribute | None], ...]] = {
    Category.FIRST_PARTY_COLLECTION: (
        ("Collected", Attribute.DATA_TYPES),
        ("Used for", Attribute.PURPOSES),
    ),
    Category.THIRD_PARTY_SHARING: (
        ("Shared with", Attribute.THIRD_PARTIES),
        ("Shared for", Attribute.PURPOSES),
        ("Data shared", Attribute.DATA_TYPES),
    ),
    Category.USER_CHOICE: (("Choices", Attribute.CHOICES),),
    Category.USER_ACCESS: (("Rights", Attribute.RIGHTS),),
    Category.DATA_RETENTION: (("Kept", Attribute.RETENTION),),
    Category.DATA_SECURITY: (("Measures", None),),
    Category.POLICY_CHANGE: (("Changes", None),),
    Category.DO_NOT_TRACK: (("Do Not Track", None),),
    Category.INTERNATIONAL_SPECIFIC_AUDIENCES: (("Applies to", Attribute.AUDIENCES),),
}

# Short names of the sections of the label, in its reading order.
SECTION_TITLES: dict[Category, str] = {
    Category.FIRST_PARTY_COLLECTION: "What they collect",
    Category.THIRD_PARTY_SHARING: "Who they share it with",
    Category.USER_CHOICE: "Your choices",
    Category.USER_ACCESS: "Your rights",
    Category.DATA_RETENTION: "How long they keep it",
    Category.DATA_SECURITY: "Security",
    Category.POLICY_CHANGE: "Changes to the policy",
    Category.DO_NOT_TRACK: "Do Not Track",
    Category.INTERNATIONAL_SPECIFIC_AUDIENCES: "Children and regions",
}

NOT_STATED = "Not stated"
DOES_NOT = "Does not"
EXCEPT_AS_STATED = "Not, with exceptions"
# The verbs a "does not" line uses, per section: what is not done with data, and the phrasing of
# each attribute kind ("Does not share with advertisers").
_NOT_DONE: dict[Category, tuple[str, tuple[tuple[Attribute, str], ...]]] = {
    Category.FIRST_PARTY_COLLECTION: (
        "collect",
        ((Attribute.DATA_TYPES, "collect {}"), (Attribute.PURPOSES, "use data for {}")),
    ),
    Category.THIRD_PARTY_SHARING: (
        "share",
        (
            (Attribute.THIRD_PARTIES, "share with {}"),
            (Attribute.PURPOSES, "share for {}"),
            (Attribute.DATA_TYPES, "share {}"),
        ),
    ),
}
_SELLS = re.compile(r"\b(?:sell|sells|sold|selling|rent|rents|renting|trade|trades)\b", re.I)

# How a policy says it announces changes; checked in its policy-change sentences only.
_CHANGE_NOTICES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (words, re.compile(pattern, re.IGNORECASE))
    for words, pattern in (
        ("By email", r"\be-?mail\b"),
        (
            "Posted on this page or site",
            r"\bpost(?:ed|ing|s)?\b|\b(?:this|our) (?:page|site|website)\b",
        ),
        ("With a notice in the service", r"\bnotice\b|\bnotif(?:y|ication)\b|\bprominent\b"),
        ("Revision date shown", r"\blast (?:updated|revised|modified)\b|\beffective date\b"),
        ("Possibly without notice", r"\bwithout (?:prior |any |further |your )?notice\b"),
        ("Asks for consent to material changes", r"\b(?:consent|opt[- ]?in)\b"),
    )
)
# What a policy says it does to keep data safe; checked in its security sentences only.
_SECURITY_MEASURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (words, re.compile(pattern, re.IGNORECASE))
    for words, pattern in (
        ("Encryption", r"\bencrypt\w*|\bssl\b|\btls\b|\bhttps\b"),
        (
            "Access limited to staff who need it",
            r"\baccess controls?\b|\brestrict\w* access\b|"
            r"\bneed to know\b|\bauthori[sz]ed (?:personnel|employees|staff)\b",
        ),
        (
            "Firewalls and secure servers",
            r"\bfirewalls?\b|\bsecure (?:servers?|facilit|data ?cent)",
        ),
        (
            "Reasonable measures (unspecified)",
            r"\breasonable\b|\bindustry[- ]standard\b|"
            r"\bappropriate (?:technical|security|physical|measures|safeguards)",
        ),
        (
            "No guarantee of security",
            r"\bcannot (?:guarantee|ensure)|\bcan ?not (?:guarantee|ensure)|"
            r"\bno (?:method|transmission|system|data transmission)\b[^.]{0,80}\b(?:secure|guarantee)|"
            r"\b100 ?%",
        ),
    )
)
_DNT_IGNORED = re.compile(
    r"\b(?:not|no|cannot|n't)\b[^.]{0,60}\b(?:respond|honou?r|recogni[sz]e|support)|"
    r"\bno (?:uniform|industry|common) standard\b",
    re.IGNORECASE,
)
_RETENTION_WORDS = {
    "stated_period": "For a stated period",
    "indefinitely": "Indefinitely",
    "as_long_as_needed": "As long as needed",
    "unspecified": "Mentioned, no period given",
}
_PERIOD_QUALIFIERS = {"up", "at", "no", "a", "approximately", "about", "within"}
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+", re.IGNORECASE)
_OPT_OUT_HINT = re.compile(r"opt|unsubscri|choice|aboutads|networkadvertising|preferenc", re.I)


@dataclass(frozen=True, slots=True)
class SummaryItem:
    """One fact on the label (``Contact details``) and the practice spans that state it."""

    words: str
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """A question of a section (``Collected``) answered by items; no items means not named.

    A ``negative`` line lists what the policy says is not done ("Does not sell"); the label
    shows it in its own style, never as a fact that something happens.
    """

    heading: str
    items: tuple[SummaryItem, ...]
    negative: bool = False


@dataclass(frozen=True, slots=True)
class OptOutLink:
    url: str
    span: Span  # where the link is in the text


@dataclass(frozen=True, slots=True)
class SummarySection:
    """What the policy says about one category; ``stated`` False means it never addresses it."""

    category: Category
    title: str
    stated: bool
    lines: tuple[SummaryLine, ...] = ()
    spans: tuple[Span, ...] = ()  # every practice of the category, in text order
    links: tuple[OptOutLink, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicySummary:
    sections: tuple[SummarySection, ...]
    counts: dict[Category, int] = field(default_factory=dict)

    @property
    def not_stated(self) -> tuple[Category, ...]:
        return tuple(s.category for s in self.sections if not s.stated)

    @property
    def stated_count(self) -> int:
        return sum(1 for s in self.sections if s.stated)

    def section(self, category: Category) -> SummarySection:
        return next(s for s in self.sections if s.category is category)

    def coverage_line(self) -> str:
        """A count with its evidence behind it (each stated topic links to sentences): no grade."""
        return f"Addresses {self.stated_count} of {len(self.sections)} topics"


def value_words(value: str) -> str:
    return VALUE_WORDS.get(value, value.replace("_", " ").capitalize())


def summarise(document: PolicyDocument | str, practices: Iterable[Practice]) -> PolicySummary:
    """The label for ``practices`` found in ``document`` (or its text); ``other`` is left out."""
    text = document if isinstance(document, str) else document.text
    hrefs = [] if isinstance(document, str) else _hrefs(document)
    by_category: dict[Category, list[Practice]] = {c: [] for c in PRACTICE_CATEGORIES}
    for practice in sorted(practices, key=lambda p: (p.start, p.end)):
        if practice.category in by_category:
            by_category[practice.category].append(practice)
    sections = tuple(
        _section(category, by_category[category], text, hrefs) for category in PRACTICE_CATEGORIES
    )
    counts = {category: len(found) for category, found in by_category.items()}
    return PolicySummary(sections, counts)


def _section(
    category: Category, found: list[Practice], text: str, hrefs: list[tuple[int, int, str]]
) -> SummarySection:
    title = SECTION_TITLES.get(category, LABELS[category])
    if not found:
        return SummarySection(category, title, stated=False)
    # The questions are answered by the practices stated as done; the rest have lines of their own.
    done = [p for p in found if p.happens] if category in _NOT_DONE else found
    lines = tuple(
        _line(category, heading, kind, done, text) for heading, kind in QUESTIONS[category] if done
    ) + _not_done_lines(category, found, text)
    links = _opt_out_links(found, text, hrefs) if category is Category.USER_CHOICE else ()
    spans = tuple((p.start, p.end) for p in found)
    return SummarySection(category, title, True, lines, spans, links)


def _line(
    category: Category, heading: str, kind: Attribute | None, found: list[Practice], text: str
) -> SummaryLine:
    if category is Category.DATA_RETENTION:
        return SummaryLine(heading, _retention_items(found))
    if category is Category.POLICY_CHANGE:
        return SummaryLine(heading, _pattern_items(found, text, _CHANGE_NOTICES))
    if category is Category.DO_NOT_TRACK:
        return SummaryLine(heading, _dnt_items(found, text))
    if category is Category.DATA_SECURITY:
        return SummaryLine(heading, _pattern_items(found, text, _SECURITY_MEASURES, "Described"))
    if kind is None:
        return SummaryLine(heading, (SummaryItem("Described", _spans(found)),))
    return SummaryLine(heading, _value_items(found, kind.value))


def _not_done_lines(
    category: Category, found: Sequence[Practice], text: str
) -> tuple[SummaryLine, ...]:
    """ "Does not sell", "Does not share with advertisers": what the policy says is not done.

    A statement with exceptions ("we do not sell ... unless") names no value: it neither
    promises nor reports one, and its line points to the sentences. A "does not" naming what
    another sentence says is done ("shared with service providers") is a limit, not a promise,
    so it joins the line with exceptions rather than contradict the label.
    """
    if category not in _NOT_DONE:
        return ()
    verb, phrasings = _NOT_DONE[category]
    # Attributes only: "sold" in a done sentence is as often a merger as a sale of data.
    done_phrases = {
        phrase
        for practice in found
        if practice.happens
        for phrase in _attribute_phrases(practice, phrasings)
    }
    promised: dict[str, list[Span]] = {}
    limited: dict[str, list[Span]] = {}
    for practice in found:
        if practice.happens:
            continue
        span = (practice.start, practice.end)
        if practice.polarity is Polarity.MIXED:
            sells = _sells(category, practice, text)
            limited.setdefault(
                f"{DOES_NOT} {'sell' if sells else verb}, except as stated", []
            ).append(span)
            continue
        # Nothing named: the sentence says what; the item points to it.
        phrases = _not_done_phrases(category, practice, text, phrasings) or [f"{verb} some data"]
        for phrase in phrases:
            if phrase in done_phrases:
                limited.setdefault(f"{DOES_NOT} {phrase}, except as stated", []).append(span)
            else:
                promised.setdefault(f"{DOES_NOT} {phrase}", []).append(span)
    lines = []
    for heading, spans in ((DOES_NOT, promised), (EXCEPT_AS_STATED, limited)):
        if spans:
            items = tuple(SummaryItem(words, tuple(s)) for words, s in spans.items())
            lines.append(SummaryLine(heading, items, negative=True))
    return tuple(lines)


def _sells(category: Category, practice: Practice, text: str) -> bool:
    return category is Category.THIRD_PARTY_SHARING and bool(
        _SELLS.search(text, practice.start, practice.end)
    )


def _not_done_phrases(
    category: Category,
    practice: Practice,
    text: str,
    phrasings: tuple[tuple[Attribute, str], ...],
) -> list[str]:
    """ "sell", "share with advertisers": what a statement names, in a "does not" line's words."""
    return (["sell"] if _sells(category, practice, text) else []) + _attribute_phrases(
        practice, phrasings
    )


def _attribute_phrases(
    practice: Practice, phrasings: tuple[tuple[Attribute, str], ...]
) -> list[str]:
    phrases = []
    for kind, phrasing in phrasings:
        value = practice.attributes.get(kind.value)
        for one in [value] if isinstance(value, str) else value or ():
            phrases.append(phrasing.format(value_words(one).lower()))
    return phrases


def practice_verb(category: Category, text: str) -> str | None:
    """The verb a sentence's practice is about ("sell", "share", "collect"), if the label has one."""
    if category not in _NOT_DONE:
        return None
    if category is Category.THIRD_PARTY_SHARING and _SELLS.search(text):
        return "sell"
    return _NOT_DONE[category][0]


def _value_items(found: Sequence[Practice], key: str) -> tuple[SummaryItem, ...]:
    """One item per attribute value, in order of first mention, with every span that names it."""
    spans: dict[str, list[Span]] = {}
    for practice in found:
        value = practice.attributes.get(key)
        for one in [value] if isinstance(value, str) else value or ():
            spans.setdefault(one, []).append((practice.start, practice.end))
    return tuple(SummaryItem(value_words(v), tuple(s)) for v, s in spans.items())


def _retention_items(found: Sequence[Practice]) -> tuple[SummaryItem, ...]:
    spans: dict[str, list[Span]] = {}
    for practice in found:
        period = practice.attributes.get(Attribute.RETENTION_PERIOD.value)
        kind = practice.attributes.get(Attribute.RETENTION.value)
        if isinstance(period, str) and period:
            # "up to 30 days" reads as it is; a bare "30 days" becomes "For 30 days".
            qualified = period.split()[0].lower() in _PERIOD_QUALIFIERS
            words = period if qualified else f"for {period}"
            words = words[0].upper() + words[1:]
        else:
            words = _RETENTION_WORDS.get(
                kind if isinstance(kind, str) else "", _RETENTION_WORDS["unspecified"]
            )
        spans.setdefault(words, []).append((practice.start, practice.end))
    return tuple(SummaryItem(words, tuple(s)) for words, s in spans.items())


def _pattern_items(
    found: Sequence[Practice],
    text: str,
    patterns: tuple[tuple[str, re.Pattern[str]], ...],
    otherwise: str = "Mentioned, no way of announcing named",
) -> tuple[SummaryItem, ...]:
    """One item per pattern some sentence matches; ``otherwise`` over all of them if none does."""
    items = []
    for words, pattern in patterns:
        spans = tuple((p.start, p.end) for p in found if pattern.search(text, p.start, p.end))
        if spans:
            items.append(SummaryItem(words, spans))
    return tuple(items) or (SummaryItem(otherwise, _spans(found)),)


def _dnt_items(found: Sequence[Practice], text: str) -> tuple[SummaryItem, ...]:
    ignored = tuple((p.start, p.end) for p in found if _DNT_IGNORED.search(text, p.start, p.end))
    others = tuple(s for s in _spans(found) if s not in ignored)
    items = []
    if ignored:
        items.append(SummaryItem("Signals not honoured", ignored))
    if others:
        items.append(SummaryItem("Mentioned", others))
    return tuple(items)


def _opt_out_links(
    found: Sequence[Practice], text: str, hrefs: list[tuple[int, int, str]]
) -> tuple[OptOutLink, ...]:
    """Opt-out links in the choice sentences: hyperlinks first, then bare URLs.

    A link counts when its sentence offers an opt-out or the link itself reads like one.
    """
    links: list[OptOutLink] = []
    seen: set[str] = set()
    for practice in found:
        candidates = [
            (start, end, href)
            for start, end, href in hrefs
            if start < practice.end and end > practice.start
        ]
        candidates += [
            (m.start(), m.end(), m.group().rstrip(".,;:"))
            for m in _URL.finditer(text, practice.start, practice.end)
        ]
        says_opt_out = "opt_out_link" in (practice.attributes.get("choices") or ())
        for start, end, url in candidates:
            # A terms-of-service link in a choice sentence is not a way to opt out.
            if not says_opt_out and not _OPT_OUT_HINT.search(url + " " + text[start:end]):
                continue
            url = url if "://" in url or url.startswith("mailto:") else f"https://{url}"
            if not url.lower().startswith(("http://", "https://")) or url in seen:
                continue
            seen.add(url)
            links.append(OptOutLink(url, (start, end)))
    # Links that look like opt-outs come first; the rest keep text order.
    links.sort(key=lambda link: not _OPT_OUT_HINT.search(link.url + " " + text[slice(*link.span)]))
    return tuple(links)


def _hrefs(document: PolicyDocument) -> list[tuple[int, int, str]]:
    return [
        (inline.start, inline.end, inline.href)
        for block in document.blocks
        for inline in block.inlines
        if inline.href
    ]


def _spans(found: Sequence[Practice]) -> tuple[Span, ...]:
    return tuple((p.start, p.end) for p in found)
