"""A tiny PDF writer for tests: positioned lines in the standard Helvetica fonts, or a bare image."""

from __future__ import annotations

from dataclasses import dataclass

PAGE_WIDTH = 612
PAGE_HEIGHT = 792
_FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Helvetica-Oblique"}
_LIGATURE_CODES = {ord("ﬁ"): "\x1f", ord("ﬂ"): "\x1e"}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text at (x, y) from the bottom-left of the page."""

    text: str
    x: float
    y: float
    size: float = 11
    bold: bool = False
    italic: bool = False


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: list[Line]) -> bytes:
    parts = []
    for line in lines:
        font = "F2" if line.bold else "F3" if line.italic else "F1"
        parts.append(f"BT /{font} {line.size} Tf {line.x} {line.y} Td ({_escape(line.text)}) Tj ET")
    # Ligatures are drawn with the codes the fonts' /Differences give the "fi" and "fl" glyphs.
    return "\n".join(parts).translate(_LIGATURE_CODES).encode("cp1252")


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)} {extra}>>\nstream\n".encode() + data + b"\nendstream"


def make_pdf(pages: list[list[Line]]) -> bytes:
    """A PDF whose pages show the given lines in Helvetica (regular, bold, oblique)."""
    font_base = 3
    first_page = font_base + len(_FONTS)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    fonts = " ".join(f"/{name} {font_base + i} 0 R" for i, name in enumerate(_FONTS))
    for base in _FONTS.values():
        objects.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} "
            "/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [30 /fl /fi] >> >>".encode()
        )
    for index, lines in enumerate(pages):
        content = first_page + 2 * index + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << {fonts} >> >> /Contents {content} 0 R >>".encode()
        )
        objects.append(_stream(_content(lines)))
    return _assemble(objects)


def make_scanned_pdf(page_count: int = 2) -> bytes:
    """A PDF of pages that only paint a grey image, as a scanner would produce: no text layer."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    first_page = 4
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(page_count))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode())
    pixels = bytes([200, 120, 120, 200])
    objects.append(
        _stream(
            pixels,
            "/Type /XObject /Subtype /Image /Width 2 /Height 2 "
            "/ColorSpace /DeviceGray /BitsPerComponent 8 ",
        )
    )
    draw = f"q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im1 Do Q".encode()
    for index in range(page_count):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /XObject << /Im1 3 0 R >> >> "
            f"/Contents {first_page + 2 * index + 1} 0 R >>".encode()
        )
        objects.append(_stream(draw))
    return _assemble(objects)


class PageFlow:
    """Lays out lines top to bottom like a word processor, with running header and page number."""

    def __init__(self, header: str | None = None, numbered: bool = True) -> None:
        self.pages: list[list[Line]] = []
        self.header = header
        self.numbered = numbered
        self._new_page()

    def _new_page(self) -> None:
        self.pages.append([])
        number = len(self.pages)
        if self.header:
            self.pages[-1].append(Line(self.header, 72, PAGE_HEIGHT - 40, size=8))
        if self.numbered:
            self.pages[-1].append(Line(f"Page {number}", PAGE_WIDTH / 2 - 15, 30, size=8))
        self.y = PAGE_HEIGHT - 80

    def add(
        self,
        text: str,
        *,
        size: float = 11,
        bold: bool = False,
        x: float = 72,
        gap_before: float = 0,
    ) -> None:
        """One line; ``gap_before`` adds space above (a paragraph break)."""
        leading = size * 1.25
        if self.y - gap_before - leading < 60:
            self._new_page()
            gap_before = 0
        self.y -= gap_before + leading
        self.pages[-1].append(Line(text, x, self.y, size=size, bold=bold))

    def heading(self, text: str, size: float = 15) -> None:
        self.add(text, size=size, bold=True, gap_before=14)

    def paragraph(self, lines: list[str], *, x: float = 72, gap: float = 8) -> None:
        for index, line in enumerate(lines):
            self.add(line, x=x, gap_before=gap if index == 0 else 0)

    def bullet(self, lines: list[str], marker: str = "-") -> None:
        self.add(f"{marker} {lines[0]}", x=90, gap_before=4)
        for line in lines[1:]:
            self.add(line, x=98)

    def pdf(self) -> bytes:
        return make_pdf(self.pages)
