"""Vietnamese-aware search over the library (see engine.py)."""
