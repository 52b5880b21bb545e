"""Facts about detection that the policy needs without loading Presidio (see `recognizers`)."""

from __future__ import annotations

# Bump when a recognizer, a pattern or a word list changes: approvals record it, so a change to
# detection makes every approval stale and the reviewer looks again.
RECOGNIZER_SET_VERSION = "2026.12-22"

MONTH_NAMES = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
