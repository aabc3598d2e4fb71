"""Channel adapters: one small interface (base.py), one module per channel, a stub for each."""
