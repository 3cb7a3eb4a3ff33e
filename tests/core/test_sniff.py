"""Encodings and formats are told from the bytes."""

from __future__ import annotations

import codecs

import pytest

from policyreader.core.document import DocumentFormat
from policyreader.core.errors import LoadProblem, PolicyLoadError
from policyreader.core.sniff import decode, sniff_format

SAMPLE = "Privacy Notice\n\nWe keep your café’s “receipts” for 30 days — no longer.\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-16-le"),
        SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_decodes_every_common_encoding(data: bytes) -> None:
    assert decode(data) == SAMPLE


def test_latin1_bytes_undefined_in_cp1252_still_decode() -> None:
    # 0x81 and 0x8d have no character in Windows-1252; Latin-1 maps them to C1 controls.
    data = "Société générale\n".encode("latin-1") + b"\x81"
    assert decode(data).startswith("Société générale")


def test_mostly_utf8_with_a_damaged_byte_keeps_the_utf8_text() -> None:
    data = ("Ünïcödé “quotes” " * 20).encode("utf-8") + b"\xff" + b" end"
    text = decode(data)
    assert "Ünïcödé “quotes”" in text
    assert "\ufffd" in text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_ends_are_normalised(newline: str) -> None:
    assert decode(f"a{newline}b{newline}".encode()) == "a\nb\n"


def test_binary_is_refused() -> None:
    with pytest.raises(PolicyLoadError) as caught:
        decode(bytes(range(256)) * 50)
    assert caught.value.problem in {LoadProblem.BINARY, LoadProblem.UNDECODABLE}


def test_control_garbage_is_refused_as_undecodable() -> None:
    with pytest.raises(PolicyLoadError) as caught:
        decode(b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 400)
    assert caught.value.problem is LoadProblem.UNDECODABLE


MARKDOWN_AS_TXT = "# Privacy\n\nSome [link](https://example.com) and **bold** text.\n\n## Sharing\n"
NUMBERED_TEXT = "1. Parties\nThis policy is ours.\n2. Purpose\nWe collect data.\n"
HTML_PAGE = "<!DOCTYPE html><html><head><title>P</title></head><body><p>x</p></body></html>"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (MARKDOWN_AS_TXT, "policy.txt", DocumentFormat.MARKDOWN),
        (NUMBERED_TEXT, "policy.md", DocumentFormat.MARKDOWN),
        (NUMBERED_TEXT, "policy.txt", DocumentFormat.TEXT),
        (NUMBERED_TEXT, None, DocumentFormat.TEXT),
        (HTML_PAGE, "saved.txt", DocumentFormat.HTML),
        ("<!-- saved -->\n<html><body>Hi</body></html>", None, DocumentFormat.HTML),
        ("Plain words only.\n\nAnother paragraph.", "x.html", DocumentFormat.TEXT),
    ],
)
def test_format_is_sniffed_from_content(
    text: str, name: str | None, expected: DocumentFormat
) -> None:
    assert sniff_format(text, name) is expected


def test_cyrillic_windows_1251_is_not_read_as_western() -> None:
    russian = (
        "Мы собираем ваши данные, чтобы предоставлять услуги. Политика конфиденциальности "
        "описывает, какие данные мы храним и как долго. Вы можете удалить аккаунт в любое время. "
    ) * 3
    assert decode(russian.encode("cp1251")) == russian


@pytest.mark.parametrize(
    "text",
    [
        "+++\ntitle = 'Fern Labs Privacy'\n+++\n\nWe keep little.\n",
        "---\ntitle: Fern Labs Privacy\ndate: 2024-01-02\n---\n\nWe keep little.\n",
        "Intro.\n\n**What we collect**\n\nEmail.\n\n**Sharing**\n\nNone.\n\n**Contact**\n\nUs.\n",
        "Fern Labs\n=========\n\nSee [our site](https://fern.example).\n",
    ],
    ids=["toml-front-matter", "yaml-front-matter", "bold-pseudo-headings", "setext-and-link"],
)
def test_markdown_named_txt_without_atx_headings(text: str) -> None:
    assert sniff_format(text, "policy.txt") is DocumentFormat.MARKDOWN


def test_underlined_plain_text_with_dashes_stays_text() -> None:
    text = "PRIVACY NOTICE\n==============\n\n1. Scope\n- this shop\n- its app\n"
    assert sniff_format(text, "notice.txt") is DocumentFormat.TEXT


def test_xhtml_with_an_xml_declaration_is_html() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html><body><p>x</p></body></html>'
    assert sniff_format(page, "saved.txt") is DocumentFormat.HTML
