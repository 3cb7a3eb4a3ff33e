"""Find a saved web page's main content: strip site chrome, banners and hidden parts, pick the policy.

Works in place on a tree from ``lxml.etree.HTMLParser`` (plain elements: lxml.html's element
classes cost a Python call per element, too slow for megabyte pages). Removal is deliberately guarded: class names such as ``cookies``,
``sharing`` or ``consent`` are also the ids of real policy sections, so single topic words only
count as weak hints, and nothing that holds a large share of the page's text is ever removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

Element = etree._Element

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Never content: code, media, embedded documents and form controls.
_ALWAYS_DROP = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset",
        "object", "embed", "canvas", "video", "audio", "map", "button", "input", "select",
        "textarea", "option", "optgroup", "datalist", "meter", "progress", "link", "meta",
        "dialog", "head", "title", "base",
    }
)  # fmt: skip
# HTML5 void elements lxml's HTML 4 parser does not know: it makes each the parent of everything
# after it (an <embed> swallowed the rest of a policy), so what they hold is the page's text.
_VOID = frozenset(
    {"embed", "source", "track", "wbr", "keygen", "param", "area", "col", "input", "link", "meta",
     "base"}
)  # fmt: skip
# Embedding containers left open swallow what follows too: holding the page's text, they stay.
_EMBEDDING = frozenset(
    {"object", "iframe", "frame", "frameset", "video", "audio", "canvas", "map", "dialog"}
)  # fmt: skip
# Site chrome by tag; kept if they (wrongly) wrap the page's content.
_CHROME_TAGS = frozenset({"nav", "aside", "menu"})
_CHROME_ROLES = frozenset(
    {
        "navigation", "banner", "contentinfo", "dialog", "alertdialog", "complementary", "search",
        "menu", "menubar", "toolbar",
    }
)  # fmt: skip
# Sectioning elements that own their header/footer (which then belong to the content).
_SECTIONING = frozenset({"article", "section", "main"})

# Class/id words that name site chrome and never a policy section.
_STRONG_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "navlinks", "topnav", "subnav", "sitenav", "mainnav",
        "menu", "menubar", "megamenu", "submenu", "mainmenu", "breadcrumb", "breadcrumbs",
        "sidebar", "masthead", "colophon", "toolbar", "topbar", "popup", "modal", "lightbox",
        "onetrust", "cookiebot", "cybotcookiebot", "usercentrics", "didomi", "truste", "osano",
        "sharethis", "addthis", "pagination", "skiplink", "skiplinks", "footer", "sitefooter",
        "globalfooter", "siteheader", "globalheader", "offcanvas", "hamburger", "cookiebanner",
        "cta", "calltoaction",
        "cookienotice", "cookieconsent", "cookiebar",
    }
)  # fmt: skip
# Topic words that are also policy section names ("cookies", "sharing", "consent"): they only
# name chrome together with a word for a box or bar (cookie-banner, share-buttons).
_TOPIC_WORDS = frozenset(
    {"cookie", "cookies", "gdpr", "consent", "cc", "cmp", "ccpa", "share", "sharing", "social",
     "newsletter", "subscribe", "signup", "subscription", "announcement", "promo", "chat"}
)  # fmt: skip
_BOX_WORDS = frozenset(
    {
        "banner", "notice", "bar", "popup", "modal", "consent", "law", "alert", "message",
        "dialog", "overlay", "disclaimer", "prompt", "wall", "manager", "preferences", "settings",
        "window", "accept", "notification", "strip", "layer", "buttons", "button", "links",
        "tools", "icons", "widget", "this", "follow", "form", "cta", "box", "msg", "launcher",
        "bubble",
    }
)  # fmt: skip
_AFFIXES = ("nav", "menu", "footer", "sidebar", "breadcrumb")
_AFFIX_EXCEPTIONS = frozenset({"navy", "footernote", "footnote"})
_GLUED_TOPICS = ("cookies", "cookie", "consent", "gdpr")
_HEADER_OWNERS = frozenset({"site", "global", "top", "main", "masthead"})
# Weak hints: removed only when mostly links; never counted as content when picking the main part.
# ("header" is not one: entry-header and page-header hold the policy's own title.)
_WEAK_WORDS = frozenset(
    {
        "banner", "share", "sharing", "social", "newsletter", "promo", "advert",
        "advertisement", "ads", "ad", "related", "widget", "comments", "comment", "cookie",
        "cookies", "consent", "gdpr", "print", "subscribe", "signup", "login", "search",
        "feedback", "rating", "survey", "chat", "tags", "meta", "byline", "author",
    }
)  # fmt: skip
_HIDDEN_CLASSES = frozenset(
    {
        "hidden", "hide", "d-none", "is-hidden", "sr-only", "visually-hidden", "visuallyhidden",
        "screen-reader-text", "element-invisible", "offscreen", "invisible",
    }
)  # fmt: skip
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# What follows "has-", "no-", "with-" (or "WithStickyNavbar" in a CSS-module name) describes
# the element's surroundings, not the element: "anchorWithStickyNavbar" is a heading anchor.
_RELATIONS = ("has", "no", "with", "without", "for", "under", "below", "above", "after",
              "before", "beside", "near", "in")  # fmt: skip
_NEGATED_CLASS = re.compile(rf"\b(?:{'|'.join(_RELATIONS)})[-_][\w-]*", re.I)
_NEGATED_CAMEL = re.compile(
    rf"(?<=[a-z0-9])(?:{'|'.join(r.title() for r in _RELATIONS)})(?=[A-Z0-9_])[\w-]*"
    rf"|\b(?:{'|'.join(_RELATIONS)})(?=[A-Z])[\w-]*"
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ACCEPT_LABEL = re.compile(
    r"^(?:i\s+)?(?:accept|agree|allow|consent|got it|ok|okay|understood|reject|decline|deny)"
    r"(?:\s+(?:all|cookies|all cookies|and close|and continue))?[.!]?$",
    re.I,
)
_DATE_LABEL = re.compile(
    r"\s*(?:(?:last|latest)\s+(?:update[ds]?|modified|revised|reviewed|changed)|effective|"
    r"updated|revised|version\s+date)\b",
    re.I,
)
_BACK_TO_TOP = re.compile(r"\s*(?:(?:back|return|go)\s+to\s+(?:the\s+)?top|top|[↑▲⬆])\W*$", re.I)
_DATE_LINE = re.compile(r"\b(?:updated|effective|revised|modified|version)\b", re.I)
POLICY_TITLE = re.compile(r"privacy|policy|notice|statement|data protection|terms", re.I)
# Only elements this small can be a cookie banner found by its accept button.
_BANNER_MAX_CHARS = 2000
# An element holding this share of the page's text is the content, whatever its class says.
_CONTENT_SHARE = 0.4
# Hidden parts with this much prose are collapsed accordion panels of the policy, not chrome.
_HIDDEN_PROSE_CHARS = 120


@dataclass(slots=True)
class Stats:
    """Visible characters in an element (whitespace at text-node edges excluded), in links, and
    its headings."""

    text: int = 0
    link: int = 0
    headings: int = 0

    @property
    def own(self) -> int:
        return self.text - self.link

    @property
    def link_density(self) -> float:
        return self.link / self.text if self.text else 0.0


def chars(text: str | None) -> int:
    return len(text.strip()) if text else 0


def text_of(el: Element) -> str:
    return "".join(el.itertext())


def measure(root: Element) -> dict[Element, Stats]:
    """Stats for every element in one bottom-up pass: in reverse document order each element is
    complete (all its descendants came first) when it adds itself to its parent."""
    stats: dict[Element, Stats] = {}
    get = stats.get  # the loop runs once per element of megabyte pages
    for el in reversed(list(root.iter(etree.Element))):
        own = get(el)
        if own is None:
            own = stats[el] = Stats()
        text = el.text
        if text:
            own.text += len(text.strip())
        tag = el.tag
        if tag == "a":
            if el.get("href") is not None:
                own.link = own.text
        elif tag in HEADING_TAGS and own.text > own.link:
            own.headings += 1
        parent = el.getparent()
        if el is root or parent is None:
            continue
        up = get(parent)
        if up is None:
            up = stats[parent] = Stats()
        tail = el.tail
        up.text += own.text + (len(tail.strip()) if tail else 0)
        up.link += own.link
        up.headings += own.headings
    return stats


def class_words(el: Element) -> frozenset[str]:
    """Words of an element's class and id, and of its tag if it is a custom element
    (``<app-footer>``, ``<mat-toolbar>``)."""
    tag = el.tag if "-" in el.tag else ""
    raw = f"{el.get('class') or ''} {el.get('id') or ''} {tag}"
    if not raw.strip():
        return frozenset()
    raw = _NEGATED_CAMEL.sub(" ", _NEGATED_CLASS.sub(" ", raw))
    return frozenset(w for w in _NON_WORD.split(_CAMEL.sub(" ", raw).lower()) if w)


def is_strong_chrome(words: frozenset[str]) -> bool:
    if words & _STRONG_WORDS or any(_chrome_compound(w) for w in words):
        return True
    topics, boxes = words & _TOPIC_WORDS, words & _BOX_WORDS
    if topics and boxes and len(topics | boxes) >= 2:
        return True  # "cookie-consent", "share-buttons"; a lone "consent" is a policy section
    if "header" in words and words & _HEADER_OWNERS:
        return True
    if "skip" in words and words & {"link", "links", "to", "content", "main", "nav"}:
        return True
    return {"back", "top"} <= words or {"return", "top"} <= words


def _chrome_compound(word: str) -> bool:
    """Class names glued into one word: "topmenu", "sitenav", "pagefooter", "cookiebar"."""
    if word.startswith(_AFFIXES) or word.endswith(_AFFIXES):
        return word not in _AFFIX_EXCEPTIONS
    return any(
        word.startswith(topic) and word[len(topic) :] in _BOX_WORDS for topic in _GLUED_TOPICS
    )


def is_weak_chrome(el: Element) -> bool:
    return bool(class_words(el) & _WEAK_WORDS)


_ENGAGEMENT_WORDS = frozenset(
    {"comments", "comment", "related", "feedback", "votes", "vote", "rating", "ratings", "survey",
     "helpful", "helpfulness"}
)  # fmt: skip
_ENGAGEMENT_MAX_CHARS = 400
# Tags the removal pass always looks at; any other element needs one of these attributes.
_TAGS_TO_CHECK = _ALWAYS_DROP | _CHROME_TAGS | {"header", "footer", "form", "button"}
_ATTRIBUTES_TO_CHECK = frozenset(
    {"class", "id", "style", "hidden", "aria-hidden", "role", "aria-modal"}
)


class _Page:
    """The body being cleaned, with stats kept current as parts are dropped."""

    def __init__(self, body: Element) -> None:
        self.body = body
        self.root = body.getroottree().getroot()
        self.stats = measure(body)
        self.total = self.stats[body].own
        # Ids that a button or link opens (aria-controls): collapsed accordion and tab panels.
        self.disclosed = {
            target for value in body.xpath(".//@aria-controls") for target in str(value).split()
        }
        self.wraps_main: set[Element] = set()
        for landmark in body.xpath(".//main | .//article | .//*[@role='main']"):
            self.wraps_main.update(landmark.iterancestors())

    def attached(self, el: Element) -> bool:
        return el.getroottree().getroot() is self.root and el.getparent() is not None

    def holds_content(self, el: Element) -> bool:
        """An element that wraps the page's content is never removed as chrome, whatever its
        name: a large share of the text, or a ``<main>``/``<article>`` inside."""
        s = self.stats[el]
        return (self.total > 0 and s.own >= _CONTENT_SHARE * self.total) or el in self.wraps_main

    def count_again(self, part: Element) -> None:
        """``part`` was moved out of a dropped element: its text counts where it now is."""
        moved = self.stats.get(part)
        if moved is None:
            return
        for ancestor in part.iterancestors():
            up = self.stats.get(ancestor)
            if up is not None:
                up.text += moved.text
                up.link += moved.link
                up.headings += moved.headings

    def drop(self, el: Element) -> None:
        if not self.attached(el):
            return
        gone = self.stats.get(el)
        if gone is not None:
            for ancestor in el.iterancestors():
                up = self.stats.get(ancestor)
                if up is not None:
                    up.text -= gone.text
                    up.link -= gone.link
                    up.headings -= gone.headings
        remove_element(el)


def remove_element(el: Element) -> None:
    """Remove ``el`` and its subtree but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def unwrap_element(el: Element) -> None:
    """Replace ``el`` by its content (text, children, tail)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    previous = el.getprevious()
    leading = (el.text or "") if len(el) else (el.text or "") + (el.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + leading
    else:
        parent.text = (parent.text or "") + leading
    children = list(el)
    if children:
        children[-1].tail = (children[-1].tail or "") + (el.tail or "")
    parent.remove(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)


def strip_chrome(body: Element) -> dict[Element, Stats]:
    """Remove everything that is not the policy: chrome, banners, controls and hidden parts.

    Returns the stats of what remains, for ``main_content``.
    """
    page = _Page(body)
    _drop_cookie_banners(page)
    for el in list(body.iter(etree.Element)):
        if el is body:
            continue
        action = _action(el, page)
        if action is None or not page.attached(el):
            continue
        if action == "unwrap":
            unwrap_element(el)
        else:
            kept = _keep_date_lines(el)
            if el.tag == "header" or (el.get("role") or "").lower() == "banner":
                kept += _keep_policy_title(el)
            page.drop(el)
            for part in kept:
                page.count_again(part)
    for el in list(body.iter(etree.Element)):
        if el is body or el.tag == "a" or ("class" not in el.attrib and "id" not in el.attrib):
            continue
        s = page.stats[el]
        if s.text and s.link_density >= 0.5 and is_weak_chrome(el):
            page.drop(el)
    return page.stats


def _action(el: Element, page: _Page) -> str | None:
    """ "drop", "unwrap" or None for one element; most elements leave by the first test."""
    tag = el.tag
    if tag == "a" and (el.get("href") or "").startswith("#") and _BACK_TO_TOP.match(text_of(el)):
        return "drop"
    if tag not in _TAGS_TO_CHECK and "-" not in tag and _ATTRIBUTES_TO_CHECK.isdisjoint(el.attrib):
        return None
    if tag == "button" and _in_heading(el):
        return "unwrap"  # accordion titles are buttons inside headings: keep their words
    if tag in _ALWAYS_DROP:
        return "unwrap" if _swallowed_content(el, page) else "drop"
    s = page.stats[el]
    words = class_words(el)
    if tag == "a" and words & _BUTTON_WORDS and _stands_alone(el):
        return "drop"  # "Download as PDF", "Get a quote": a call to action set as a button
    if _is_chrome(el, words) and not page.holds_content(el):
        return "drop"
    if _is_engagement(el, words, s):
        return "drop"
    if tag == "form" and s.own < 300:
        return "drop"  # search, sign-up and log-in forms; a form wrapping the page is kept
    if not _is_hidden(el) or _hidden_prose(s) or page.holds_content(el):
        return None
    panel = el.get("id") in page.disclosed and s.link_density < 0.5
    return None if panel else "drop"


_BUTTON_WORDS = frozenset({"btn", "button", "cta"})


def _swallowed_content(el: Element, page: _Page) -> bool:
    """A void or embedding element that holds text the parser put in it: never dropped with it."""
    if not (len(el) or (el.text and el.text.strip())):
        return False
    return el.tag in _VOID or (el.tag in _EMBEDDING and page.holds_content(el))


def _stands_alone(link: Element) -> bool:
    """A link between blocks, not a link inside a sentence: no text touches it on either side."""
    if chars(link.tail):
        return False
    previous = link.getprevious()
    if previous is not None:
        return not chars(previous.tail)
    parent = link.getparent()
    return parent is not None and not chars(parent.text)


def _in_heading(el: Element) -> bool:
    return any(
        a.tag in HEADING_TAGS or a.tag == "summary" or a.get("role") == "heading"
        for a in el.iterancestors()
    )


def _page_level(el: Element) -> bool:
    return not any(
        a.tag in _SECTIONING or a.get("role") in ("main", "article") for a in el.iterancestors()
    )


def _is_chrome(el: Element, words: frozenset[str]) -> bool:
    tag = el.tag
    if tag in _CHROME_TAGS:
        return True
    if (tag in ("header", "footer") or _custom_header(tag)) and _page_level(el):
        return True
    role = (el.get("role") or "").strip().lower()
    if role in _CHROME_ROLES or (el.get("aria-modal") or "").lower() == "true":
        return True
    if tag == "a":
        # Links are inline; only "skip to content" and "back to top" links are chrome.
        return "skip" in words or {"back", "top"} <= words or {"return", "top"} <= words
    return is_strong_chrome(words)


def _custom_header(tag: str) -> bool:
    """``<app-header>``, ``<site-footer>``: a framework's page header or footer component."""
    words = tag.split("-")
    return len(words) > 1 and words[0] in _CUSTOM_OWNERS and words[-1] in ("header", "footer")


_CUSTOM_OWNERS = frozenset({"app", "site", "global", "main", "page", "layout"})


def _is_engagement(el: Element, words: frozenset[str], s: Stats) -> bool:
    """An article's own footer (votes, share, "more questions") and its comments or related links:
    short, without prose of the policy, so small ones go whatever their markup."""
    if s.own >= _ENGAGEMENT_MAX_CHARS:
        return False
    if el.tag == "footer":
        return not s.headings and not _DATE_LINE.search(text_of(el))
    return bool(words & _ENGAGEMENT_WORDS)


def _is_hidden(el: Element) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    classes = (el.get("class") or "").lower().split()
    return any(c in _HIDDEN_CLASSES for c in classes)


def _hidden_prose(s: Stats) -> bool:
    """Collapsed accordion panels hide real policy text; hidden menus and labels are short or links."""
    return s.own >= _HIDDEN_PROSE_CHARS and s.link_density < 0.3


def _keep_date_lines(el: Element) -> list[Element]:
    """A policy's "Latest update: ..." line sometimes sits in a box marked as a footer: keep it
    (in front of the box) when the box goes."""
    for line in list(el.iter("p", "div", "span", "small", "time")):
        text = " ".join(text_of(line).split())
        if text and len(text) < 120 and _DATE_LABEL.match(text) and line.find(".//a") is None:
            line.tail = None
            el.addprevious(line)
            return [line]
    return []


def _keep_policy_title(el: Element) -> list[Element]:
    """A page-level header sometimes holds the policy's own h1 (and its date line): keep those."""
    for heading in el.iter("h1"):
        text = text_of(heading).strip()
        if not text or not POLICY_TITLE.search(text) or any(a.tag == "a" for a in heading.iter()):
            continue
        kept = [heading]
        sibling = heading.getnext()
        while sibling is not None and isinstance(sibling.tag, str) and len(kept) < 4:
            if len(text_of(sibling).strip()) > 200 or sibling.find(".//a") is not None:
                break
            kept.append(sibling)
            sibling = sibling.getnext()
        for part in kept:
            part.tail = None
            el.addprevious(part)
        return kept
    return []


def _drop_cookie_banners(page: _Page) -> None:
    """Banners without telling class names still show themselves: a small box about cookies with
    an "Accept" button."""
    for control in list(page.body.iter("button", "a", "input")):
        href = (control.get("href") or "#").strip()
        if control.tag == "a" and href != "#" and not href.lower().startswith("javascript:"):
            continue  # a real link is not a consent button
        label = text_of(control).strip() or (control.get("value") or "").strip()
        if not label or not _ACCEPT_LABEL.match(" ".join(label.split())):
            continue
        for ancestor in list(control.iterancestors())[:6]:
            if ancestor is page.body:
                break
            s = page.stats.get(ancestor)
            if s is None or s.text > _BANNER_MAX_CHARS:
                break
            if "cookie" in text_of(ancestor).lower():
                if not page.holds_content(ancestor):
                    page.drop(ancestor)
                break


# Elements the main-content search may step into; a paragraph or a list is content itself.
_CONTAINERS = frozenset(
    {
        "body", "div", "section", "article", "main", "form", "center", "table", "tbody", "tr",
        "td", "span", "font", "header",
    }
)  # fmt: skip
_BEST_CHILD_SHARE = 0.5
_CONTENT_PROSE_CHARS = 200
_PREAMBLE_MAX_CHARS = 1500


def main_content(body: Element, stats: dict[Element, Stats]) -> list[Element]:
    """The elements holding the policy, in document order: the main container and the headings
    (and date lines) just above it. ``stats`` are those ``strip_chrome`` returned."""
    start = _semantic_start(body, stats)
    container = _descend(start, stats)
    parts = [*_preamble(container, body, stats), *_trim_edges(container, stats)]
    if parts[0].xpath(_ANY_HEADING):
        _drop_link_lines(parts[0], stats)
    return parts


def _semantic_start(body: Element, stats: dict[Element, Stats]) -> Element:
    """``<main>`` or ``role=main``, else ``<article>``, when it holds at least half the text."""
    total = stats[body].own
    for query in (".//main | .//*[@role='main']", ".//article"):
        candidates = body.xpath(query)
        if not candidates:
            continue
        best = max(candidates, key=lambda el: stats[el].own)
        if total and stats[best].own >= 0.5 * total:
            return best
    return body


def _descend(node: Element, stats: dict[Element, Stats]) -> Element:
    """Step into the child holding most of the text while everything beside it is not content.

    Stopping early is safe (a little extra text); stepping past a sibling that is content would
    lose part of the policy, so any sibling with a heading or real prose stops the descent.
    """
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        node_own = stats[node].own
        if not children or not node_own:
            return node
        best = max(children, key=lambda c: stats[c].own)
        if best.tag not in _CONTAINERS and "-" not in best.tag:
            return node
        if stats[best].own < _BEST_CHILD_SHARE * node_own:
            return node
        loose = chars(node.text) + sum(chars(c.tail) for c in node)
        if loose >= 50:
            return node
        if any(_is_content(c, stats) for c in children if c is not best):
            return node
        node = best


_ANY_HEADING = " | ".join(f".//{tag}" for tag in sorted(HEADING_TAGS))


def _drop_link_lines(part: Element, stats: dict[Element, Stats]) -> None:
    """Above the policy's first heading, a line that is only a link ("Help centre") is navigation."""
    for el in list(part.iter(etree.Element)):
        if el.tag in HEADING_TAGS:
            return
        s = stats.get(el)
        if s is None or el is part or not s.text or s.headings or s.link != s.text:
            continue
        if el.getparent() is not None and el.tag not in _INLINE_TAGS:
            remove_element(el)


_INLINE_TAGS = frozenset({"a", "b", "strong", "span", "em", "i", "small", "font"})


def _trim_edges(container: Element, stats: dict[Element, Stats]) -> list[Element]:
    """The container, or its children without the site's strips at either end.

    Pages without a wrapper around the policy leave the site's top strip, menu and footer as
    siblings of the policy's sections; short linked bits before the first and after the last
    part that is content are those.
    """
    children = [c for c in container if isinstance(c.tag, str)]
    loose = chars(container.text) + sum(chars(c.tail) for c in container)
    if loose or len(children) < 2:
        return [container]
    first, last = 0, len(children)
    while first < last and _edge_chrome(children[first], stats, leading=True):
        first += 1
    while last > first and _edge_chrome(children[last - 1], stats, leading=False):
        last -= 1
    if first >= last or (first == 0 and last == len(children)):
        return [container]
    return children[first:last]


def _edge_chrome(el: Element, stats: dict[Element, Stats], *, leading: bool) -> bool:
    s = stats[el]
    if not s.text:
        # Empty, or pictures only: a heading among them may still show its alt text.
        return el.tag not in HEADING_TAGS and not el.xpath(_ANY_HEADING)
    if s.headings and s.link_density < 0.5:
        return False
    if s.link_density >= 0.5:
        # Some themes link the page title to the page itself: keep a heading naming a policy.
        headings = [el] if el.tag in HEADING_TAGS else el.xpath(_ANY_HEADING)
        return not any(POLICY_TITLE.search(text_of(h)) for h in headings)
    if not s.link or s.own >= _CONTENT_PROSE_CHARS:
        return False
    # A short line with a link: a site strip, unless it dates the policy at its top.
    return not (leading and _DATE_LINE.search(text_of(el)))


def _is_content(el: Element, stats: dict[Element, Stats]) -> bool:
    s = stats[el]
    if is_weak_chrome(el):
        return False
    if s.headings and s.link_density < 0.5:
        return True
    return s.own >= _CONTENT_PROSE_CHARS and s.link_density < 0.35


def _preamble(container: Element, body: Element, stats: dict[Element, Stats]) -> list[Element]:
    """Headings and date lines right above the container (an h1 outside ``<article>``).

    Other short text there (a tagline, a site-wide alert) is passed over; links or long text
    end the search, since what lies beyond them is the site's, not the policy's.
    """
    found: list[Element] = []
    budget = _PREAMBLE_MAX_CHARS
    node = container
    while node is not body and node.getparent() is not None:
        sibling = node.getprevious()
        while sibling is not None:
            s = stats.get(sibling) if isinstance(sibling.tag, str) else None
            if s is not None and s.text:
                if is_weak_chrome(sibling) or s.link_density >= 0.35 or s.own > budget:
                    return found
                if s.own > 300 and not s.headings:
                    return found
                if s.headings or _DATE_LINE.search(text_of(sibling)):
                    found.insert(0, sibling)
                    budget -= s.own
            sibling = sibling.getprevious()
        node = node.getparent()
    return found
