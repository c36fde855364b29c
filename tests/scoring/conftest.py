import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def cat():
    from lashi.scoring import load_catalogue
    return load_catalogue()
