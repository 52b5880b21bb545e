"""Statutory deadlines counted in England and Wales working days."""
