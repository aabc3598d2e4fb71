"""Where the shared test data lives: ../shared/data beside the repository (dev and CI alike)."""

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CAP_DIR = SHARED_DATA / "cap"


def cap_file(name: str) -> bytes:
    return (CAP_DIR / name).read_bytes()
