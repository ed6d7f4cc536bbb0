"""The marks the reader takes from PDFium: the characters a page's content draws (not the
spaces PDFium adds between them) and the ruling lines its paths draw, inside forms too.
The PDFs are written by hand: one page, Helvetica at 10 points."""

from programs import pdfs

# Helvetica's widths of "AB" and "Left", in points at 10 points.
AB, LEFT = 13.34, 16.68


def _pdf(content: bytes, form: bytes = b"") -> bytes:
    """A one-page PDF drawing `content`, with a form XObject /Fm1 of `form` (its own
    coordinates twice the page's) to draw."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [-5 -5 5 15] /Matrix [2 0 0 2 0 0]"
        b" /Length %d >>\nstream\n%s\nendstream" % (len(form), form),
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return data + (
        b"xref\n0 %d\n0000000000 65535 f \n%strailer\n<< /Size %d /Root 1 0 R >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table, len(objects) + 1, len(data))
    )


def _words(*words: tuple[float, bytes]) -> bytes:
    """Each word its own text object, at x on the baseline y = 100."""
    return b" ".join(b"BT /F1 10 Tf %.2f 100 Td (%s) Tj ET" % word for word in words)


def test_a_space_pdfium_adds_between_text_objects_is_no_character():
    # 1.5 points apart: less than a word gap at 10 points (2), more than PDFium's own.
    assert pdfs.read_pages(_pdf(_words((50, b"AB"), (50 + AB + 1.5, b"CD")))) == ["ABCD"]
    assert pdfs.read_pages(_pdf(_words((50, b"AB"), (50 + AB + 2.5, b"CD")))) == ["AB CD"]


def test_a_rule_drawn_in_a_form_parts_cells_where_its_matrices_place_it():
    """The form draws a line 10 of its units tall at its origin; its matrix doubles it and
    the page's `cm` moves it between the two words, across their line."""
    words = _words((100, b"Left"), (100 + LEFT + 6, b"Right"))
    ruled = b"q 1 0 0 1 %.2f 90 cm /Fm1 Do Q " % (100 + LEFT + 3) + words
    assert pdfs.read_pages(_pdf(ruled, b"0 0 m 0 10 l S")) == ["Left\tRight"]
    assert pdfs.read_pages(_pdf(words, b"0 0 m 0 10 l S")) == ["Left Right"]
    # A thin filled rectangle (as browsers draw a border): its vertical edges are rules.
    assert pdfs.read_pages(_pdf(ruled, b"0 0 0.25 10 re f")) == ["Left\tRight"]


def test_a_rule_drawn_on_the_page_parts_the_cells_of_the_line_it_crosses():
    words = _words((100, b"Left"), (100 + LEFT + 6, b"Right"))
    x = 100 + LEFT + 3
    assert pdfs.read_pages(_pdf(b"%.2f 90 m %.2f 110 l S " % (x, x) + words)) == ["Left\tRight"]
    # Above the line, not across it.
    assert pdfs.read_pages(_pdf(b"%.2f 110 m %.2f 130 l S " % (x, x) + words)) == ["Left Right"]
