"""PDFs in layouts other than this project's, written with fpdf2 from the corpus's texts
(other fonts, cell borders or none, column widths of their own, running heads and feet),
read back into the corpus's expected JSON. Generated per session in a temporary folder.
The texts are written in their characters' one forms (as `split_lines` reads them): no
installed font draws some of the variants (`⭘`, `❍`)."""

import json
from pathlib import Path

import pytest
from fpdf import FPDF

from programs import pdfs
from programs.parsing import parse_document
from programs.parsing.layout import furniture
from programs.parsing.sections import is_heading
from programs.parsing.text import compact, split_lines

from .conftest import ROOT, SAMPLES

FONTS = Path("/usr/share/fonts/truetype")
CORPUS = [path for path in SAMPLES] + sorted((ROOT / "tests" / "documents").glob("*.expected.json"))


def _text(expected: Path) -> str:
    return expected.with_name(expected.name.replace(".expected.json", ".txt")).read_text("utf-8")


def _lines(text: str) -> list[str]:
    """The text's lines in their characters' one forms, without the page furniture of the
    layout it was extracted from (a new layout prints its own)."""
    lines = split_lines(text)
    old = furniture(lines, compact(lines[0].text))
    return [line.text for line in lines if line.no not in old]


class Layout:
    """One way of printing a document's lines and cells."""

    def __init__(self, font: str, size: float, ruled: bool, head: str, foot: str) -> None:
        self.font, self.size, self.ruled, self.head, self.foot = font, size, ruled, head, foot

    def write(self, texts: list[str]) -> bytes:
        pdf = _Book(self)
        pdf.set_auto_page_break(False)
        for text in texts:
            pdf.add_page()
            self._document(pdf, text)
        return bytes(pdf.output())

    def _document(self, pdf: FPDF, text: str) -> None:
        """Each table (its rows, and the lines between them up to the next heading) on one
        grid of column widths; the other lines as text."""
        lines = _lines(text)
        index = 0
        while index < len(lines):
            if "\t" not in lines[index]:
                self._row(pdf, [lines[index]], None)
                index += 1
                continue
            end = index
            while end < len(lines) and not is_heading(lines[end]):
                end += 1
            rows = [line.split("\t") for line in lines[index:end] if "\t" in line]
            widths = [
                max(pdf.get_string_width(row[i]) for row in rows if i < len(row)) + 3
                for i in range(max(map(len, rows)))
            ]
            for line in lines[index:end]:
                self._row(pdf, line.split("\t"), widths if "\t" in line else None)
            index = end

    def _row(self, pdf: FPDF, cells: list[str], widths: list[float] | None) -> None:
        height = self.size * 0.55
        if pdf.get_y() + height > pdf.h - 18:
            pdf.add_page()
        if widths is None:
            pdf.cell(text=cells[0], h=height, new_x="LMARGIN", new_y="NEXT")
            return
        for cell, width in zip(cells, widths, strict=False):
            numeric = cell.replace(",", "").replace("△", "").isdigit()
            border = 1 if self.ruled else 0
            pdf.cell(width, height, cell, border=border, align="R" if numeric else "L")
            if not self.ruled:
                pdf.set_x(pdf.get_x() + 4)
        pdf.ln(height)


class _Book(FPDF):
    def __init__(self, layout: Layout) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.layout = layout
        self.add_font("body", fname=str(FONTS / "nanum" / layout.font))
        # What the body font lacks (`月` in Myeongjo, `☑`): from Gothic, else from DejaVu.
        self.add_font("gothic", fname=str(FONTS / "nanum" / "NanumGothic.ttf"))
        self.add_font("dejavu", fname=str(FONTS / "dejavu" / "DejaVuSans.ttf"))
        self.set_fallback_fonts(["gothic", "dejavu"])
        self.set_margins(12, 16, 12)

    def header(self) -> None:
        self.set_font("body", size=7)
        self.cell(0, 5, self.layout.head, align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font("body", size=self.layout.size)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("body", size=7)
        self.cell(0, 5, self.layout.foot.format(page=self.page_no()), align="C")
        self.set_font("body", size=self.layout.size)


LAYOUTS = {
    "ruled-gothic": Layout(
        "NanumGothic.ttf", 8, True, "2024년도 세출예산 사업설명서", "- {page} -"
    ),
    "open-myeongjo": Layout("NanumMyeongjo.ttf", 7.5, False, "서울특별시 · 예산담당관", "{page}"),
}


@pytest.fixture(scope="session")
def layout_pdfs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("layouts")
    for name, layout in LAYOUTS.items():
        for expected in CORPUS:
            stem = expected.name.replace(".expected.json", "")
            (folder / f"{name}-{stem}.pdf").write_bytes(layout.write([_text(expected)]))
    return folder


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("expected", CORPUS, ids=lambda path: path.name.split(".")[0])
def test_a_pdf_of_another_layout_reads_as_its_text(layout_pdfs, layout, expected):
    stem = expected.name.replace(".expected.json", "")
    data = (layout_pdfs / f"{layout}-{stem}.pdf").read_bytes()
    document = parse_document("\n\f".join(pdfs.read_pages(data)))
    wanted = json.loads(expected.read_text("utf-8"))
    assert {key: document[key] for key in wanted if key != "warnings"} == {
        key: value for key, value in wanted.items() if key != "warnings"
    }
