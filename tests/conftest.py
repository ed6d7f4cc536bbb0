import copy
import json
from pathlib import Path

import pytest

from programs.documents import store_documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.expected.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def sample_document() -> dict:
    """The real document: 사회적경제지원센터 운영, FY2024."""
    return load(ROOT / "samples" / "000_5073a130600540e8.expected.json")


@pytest.fixture
def stored_samples(db):
    return [year for path in SAMPLES for year in store_documents([load(path)])]


@pytest.fixture
def make_program_years(db, sample_document):
    """Store `count` synthetic program years: copies of the sample document, each its own
    program (or, with `one_program=True`, years of one program), in three bureaus."""

    def make(count: int, *, one_program: bool = False) -> list:
        documents = []
        for index in range(count):
            document = copy.deepcopy(sample_document)
            if one_program:
                document["fiscal_year"] = 2024 - index
            else:
                document["title"] = f"합성 사업 {index:03d}"
                document["officers"][0]["bureau"] = f"합성국 {index % 3}"
            documents.append(document)
        return store_documents(documents)

    return make
