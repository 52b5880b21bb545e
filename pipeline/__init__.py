"""Rapid reviews, LCSPRs and learning briefs: validated, merged into Word, anonymised and published."""

__version__ = "0.1.0"
