"""Find a saved web page's main content: strip site chrome, banners and hidden parts, pick the policy.

Works on an lxml tree in place. Removal is deliberately guarded: class names such as ``cookies``,
``sharing`` or ``consent`` are also the ids of real policy sections, so single topic words only
count as weak hints, and nothing that holds a large share of the page's text is ever removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lxml.html import HtmlElement

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
        "cookienotice", "cookieconsent", "cookiebar",
    }
)  # fmt: skip
# Topic words that are also policy section names ("cookies", "sharing", "consent"): they only
# name chrome together with a word for a box or bar (cookie-banner, share-buttons).
_TOPIC_WORDS = frozenset(
    {"cookie", "cookies", "gdpr", "consent", "cc", "cmp", "ccpa", "share", "sharing", "social",
     "newsletter", "subscribe", "signup", "subscription"}
)  # fmt: skip
_BOX_WORDS = frozenset(
    {
        "banner", "notice", "bar", "popup", "modal", "consent", "law", "alert", "message",
        "dialog", "overlay", "disclaimer", "prompt", "wall", "manager", "preferences", "settings",
        "window", "accept", "notification", "strip", "layer", "buttons", "button", "links",
        "tools", "icons", "widget", "this", "follow", "form", "cta", "box", "msg",
    }
)  # fmt: skip
_AFFIXES = ("nav", "menu", "footer", "sidebar", "breadcrumb")
_AFFIX_EXCEPTIONS = frozenset({"navy", "footernote", "footnote"})
_GLUED_TOPICS = ("cookies", "cookie", "consent", "gdpr")
_HEADER_OWNERS = frozenset({"site", "global", "top", "main", "masthead"})
# Weak hints: removed only when mostly links; never counted as content when picking the main part.
_WEAK_WORDS = frozenset(
    {
        "header", "banner", "share", "sharing", "social", "newsletter", "promo", "advert",
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
_NEGATED_CLASS = re.compile(r"\b(?:has|no|with|without)[-_][\w-]*", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ACCEPT_LABEL = re.compile(
    r"^(?:i\s+)?(?:accept|agree|allow|consent|got it|ok|okay|understood|reject|decline|deny)"
    r"(?:\s+(?:all|cookies|all cookies|and close|and continue))?[.!]?$",
    re.I,
)
_POLICY_TITLE = re.compile(r"privacy|policy|notice|statement|data protection|terms", re.I)
# Only elements this small can be a cookie banner found by its accept button.
_BANNER_MAX_CHARS = 2000
# An element holding this share of the page's text is the content, whatever its class says.
_CONTENT_SHARE = 0.4
# Hidden parts with this much prose are collapsed accordion panels of the policy, not chrome.
_HIDDEN_PROSE_CHARS = 120


@dataclass(slots=True)
class Stats:
    """Visible characters (whitespace excluded) in an element, in links, and its headings."""

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
    if not text:
        return 0
    return len(text) - sum(text.count(c) for c in " \n\t\r\xa0")


def elements(root: HtmlElement) -> Iterable[HtmlElement]:
    """Elements only: comments and processing instructions have a non-string tag."""
    return (el for el in root.iter() if isinstance(el.tag, str))


def measure(root: HtmlElement) -> dict[HtmlElement, Stats]:
    """Stats for every element in one bottom-up pass (descendants follow an element in ``iter``)."""
    stats: dict[HtmlElement, Stats] = {}
    for el in reversed(list(elements(root))):
        own = Stats(text=chars(el.text))
        for child in el:
            own.text += chars(child.tail)
            sub = stats.get(child)
            if sub is not None:
                own.text += sub.text
                own.link += sub.link
                own.headings += sub.headings
        if el.tag == "a" and el.get("href") is not None:
            own.link = own.text
        if el.tag in HEADING_TAGS and own.own:
            own.headings += 1
        stats[el] = own
    return stats


def class_words(el: HtmlElement) -> frozenset[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not raw.strip():
        return frozenset()
    raw = _NEGATED_CLASS.sub(" ", raw)
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
    return {"back", "top"} <= words


def _chrome_compound(word: str) -> bool:
    """Class names glued into one word: "topmenu", "sitenav", "pagefooter", "cookiebar"."""
    if word.startswith(_AFFIXES) or word.endswith(_AFFIXES):
        return word not in _AFFIX_EXCEPTIONS
    return any(
        word.startswith(topic) and word[len(topic) :] in _BOX_WORDS for topic in _GLUED_TOPICS
    )


def is_weak_chrome(el: HtmlElement) -> bool:
    return bool(class_words(el) & _WEAK_WORDS)


def _is_hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    classes = (el.get("class") or "").lower().split()
    return any(c in _HIDDEN_CLASSES for c in classes)


def _holds_content(el: HtmlElement, stats: dict[HtmlElement, Stats], page_own: int) -> bool:
    """An element that wraps the page's content is never removed as chrome, whatever its name."""
    s = stats.get(el)
    if s is None:
        return False
    if page_own and s.own >= _CONTENT_SHARE * page_own:
        return True
    return any(
        d.tag in ("main", "article") or d.get("role") == "main" for d in elements(el) if d is not el
    )


def _page_level(el: HtmlElement) -> bool:
    return not any(
        a.tag in _SECTIONING or a.get("role") in ("main", "article") for a in el.iterancestors()
    )


def _drop(el: HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()


def strip_chrome(body: HtmlElement) -> None:
    """Remove everything that is not the policy: chrome, banners, controls and hidden parts."""
    stats = measure(body)
    page_own = stats[body].own
    _drop_cookie_banners(body, stats, page_own)

    def unwanted(el: HtmlElement) -> bool:
        if el.tag in _ALWAYS_DROP:
            return True
        if _is_chrome(el) and not _holds_content(el, stats, page_own):
            _keep_policy_title(el)
            return True
        if el.tag == "form" and stats[el].own < 300:
            return True  # search, sign-up and log-in forms; a form wrapping the page is kept
        return _is_hidden(el) and not _hidden_prose(stats[el])

    _prune(body, unwanted)
    stats = measure(body)

    def link_chrome(el: HtmlElement) -> bool:
        s = stats[el]
        return el.tag != "a" and is_weak_chrome(el) and s.text > 0 and s.link_density >= 0.5

    _prune(body, link_chrome)


def _prune(root: HtmlElement, unwanted: Callable[[HtmlElement], bool]) -> None:
    """Drop each element ``unwanted`` names, without looking inside what was dropped."""
    stack = list(reversed(root))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if unwanted(el):
            _drop(el)
        else:
            stack.extend(reversed(el))


def _is_chrome(el: HtmlElement) -> bool:
    tag = el.tag
    if tag in _CHROME_TAGS:
        return True
    if tag in ("header", "footer") and _page_level(el):
        return True
    role = (el.get("role") or "").strip().lower()
    if role in _CHROME_ROLES or (el.get("aria-modal") or "").lower() == "true":
        return True
    if tag == "a":
        # Links are inline; only "skip to content" and "back to top" links are chrome.
        words = class_words(el)
        return "skip" in words or {"back", "top"} <= words
    return is_strong_chrome(class_words(el))


def _hidden_prose(s: Stats) -> bool:
    """Collapsed accordion panels hide real policy text; hidden menus and labels are short or links."""
    return s.own >= _HIDDEN_PROSE_CHARS and s.link_density < 0.3


def _keep_policy_title(el: HtmlElement) -> None:
    """A page-level header sometimes holds the policy's own h1 (and its date line): keep those."""
    if el.tag != "header" and (el.get("role") or "").lower() != "banner":
        return
    for heading in el.iter("h1"):
        text = heading.text_content().strip()
        if not text or not _POLICY_TITLE.search(text) or any(a.tag == "a" for a in heading.iter()):
            continue
        kept = [heading]
        sibling = heading.getnext()
        while sibling is not None and isinstance(sibling.tag, str) and len(kept) < 4:
            sibling_text = sibling.text_content().strip()
            if len(sibling_text) > 200 or sibling.find(".//a") is not None:
                break
            kept.append(sibling)
            sibling = sibling.getnext()
        for part in kept:
            part.tail = None
            el.addprevious(part)
        return


def _drop_cookie_banners(body: HtmlElement, stats: dict[HtmlElement, Stats], page_own: int) -> None:
    """Banners without telling class names still show themselves: a small box about cookies with
    an "Accept" button."""
    for control in list(body.iter("button", "a", "input")):
        label = (control.text_content() or control.get("value") or "").strip()
        if not label or not _ACCEPT_LABEL.match(" ".join(label.split())):
            continue
        if (
            control.tag == "a"
            and (control.get("href") or "#").strip() not in ("#", "")
            and (not (control.get("href") or "").lower().startswith("javascript:"))
        ):
            continue
        for ancestor in list(control.iterancestors())[:6]:
            if ancestor is body:
                break
            s = stats.get(ancestor)
            if s is None or s.text > _BANNER_MAX_CHARS:
                break
            if "cookie" in ancestor.text_content().lower():
                if not _holds_content(ancestor, stats, page_own):
                    _drop(ancestor)
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


def main_content(body: HtmlElement) -> list[HtmlElement]:
    """The elements holding the policy, in document order: the main container and the headings
    (and date lines) just above it."""
    stats = measure(body)
    start = _semantic_start(body, stats)
    container = _descend(start, stats)
    return [*_preamble(container, body, stats), container]


def _semantic_start(body: HtmlElement, stats: dict[HtmlElement, Stats]) -> HtmlElement:
    """``<main>`` or ``role=main``, else ``<article>``, when it holds at least half the text."""
    total = stats[body].own
    for candidates in (
        [el for el in elements(body) if el.tag == "main" or el.get("role") == "main"],
        [el for el in elements(body) if el.tag == "article"],
    ):
        if not candidates:
            continue
        best = max(candidates, key=lambda el: stats[el].own)
        if total and stats[best].own >= 0.5 * total:
            return best
    return body


def _descend(node: HtmlElement, stats: dict[HtmlElement, Stats]) -> HtmlElement:
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


def _is_content(el: HtmlElement, stats: dict[HtmlElement, Stats]) -> bool:
    s = stats[el]
    if is_weak_chrome(el):
        return False
    if s.headings and s.link_density < 0.5:
        return True
    return s.own >= _CONTENT_PROSE_CHARS and s.link_density < 0.35


def _preamble(
    container: HtmlElement, body: HtmlElement, stats: dict[HtmlElement, Stats]
) -> list[HtmlElement]:
    """Headings and short lines right above the container (an h1 outside ``<article>``)."""
    found: list[HtmlElement] = []
    budget = _PREAMBLE_MAX_CHARS
    node = container
    while node is not body and node.getparent() is not None:
        sibling = node.getprevious()
        while sibling is not None:
            if not isinstance(sibling.tag, str) or not stats[sibling].text:
                sibling = sibling.getprevious()
                continue
            s = stats[sibling]
            if is_weak_chrome(sibling) or s.link_density >= 0.35 or s.own > budget:
                return found
            if s.own > 300 and not s.headings:
                return found
            found.insert(0, sibling)
            budget -= s.own
            sibling = sibling.getprevious()
        node = node.getparent()
    return found
