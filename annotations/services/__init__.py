"""Writes. The only code that changes rows; each function owns its transaction."""
