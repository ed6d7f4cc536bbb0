"""Running heads and feet are left out of a PDF's text by where they print; a line of the
text that happens to end (or begin) two pages is kept."""

from programs.pdfs import Cell, Row, without_furniture


def row(top: float, *cells: str) -> Row:
    return Row(top, 10.0, [Cell(100.0 * i, 100.0 * i + 50, text) for i, text in enumerate(cells)])


def texts(pages: list[list[Row]]) -> list[list[str]]:
    return [[" ".join(cell.text for cell in r.cells) for r in rows] for rows in pages]


def page(number: int, body: list[Row], head: str = "2024년도 사업설명서 청년 지원") -> list[Row]:
    return [row(20, head), *body, row(800, f"- {number} -")]


def test_heads_and_numbers_go_and_a_line_ending_two_pages_stays():
    pages = [
        page(3, [row(60, "- 사업기간 : 2012년 ~ 계속"), row(640, "- 사업수행방법 : 직접수행")]),
        page(4, [row(60, "○ 교육 운영"), row(700, "- 사업수행방법 : 직접수행")]),
        page(5, [row(60, "○ 홍보"), row(90, "- 사업수행방법 : 직접수행")]),
    ]
    assert texts(without_furniture(pages)) == [
        ["- 사업기간 : 2012년 ~ 계속", "- 사업수행방법 : 직접수행"],
        ["○ 교육 운영", "- 사업수행방법 : 직접수행"],
        ["○ 홍보", "- 사업수행방법 : 직접수행"],
    ]


def test_a_line_at_the_same_place_on_pages_far_apart_stays():
    """The first line of a body stands at the same height on every page: the same words
    there on pages far apart in a book are text, not a running head."""
    body = [row(60, "○ 사업계획 수립"), row(90, "본문")]
    pages = [
        page(1, body),
        *(page(n, [row(60, f"○ {n}쪽 본문")]) for n in range(2, 6)),
        page(6, body),
    ]
    kept = texts(without_furniture(pages))
    assert kept[0] == kept[-1] == ["○ 사업계획 수립", "본문"]


def test_heads_of_facing_pages_go():
    """Books print one head on left pages and another on right ones."""
    pages = [
        page(
            n, [row(60, f"본문 {WORDS[n]}")], head="서울특별시" if n % 2 else "세출예산 사업설명서"
        )
        for n in range(1, 7)
    ]
    assert texts(without_furniture(pages)) == [[f"본문 {WORDS[n]}"] for n in range(1, 7)]


WORDS = "영일이삼사오육"
