"""The anonymisation pass: known identifiers, detection of what nobody listed, replacement, the gate."""

import os

# Presidio imports tldextract, which builds its suffix-list extractor at import time from this
# variable: set it before anything imports Presidio, so nothing reaches for the network.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
