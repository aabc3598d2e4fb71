"""Pure Python for hazard monitoring: alarm levels, trends, reading checks, risk-level rules.

No Django import here, so these run in milliseconds and can be reused by other tools.
"""
