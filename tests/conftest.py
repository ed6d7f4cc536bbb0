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
