"""The published website: pages, feed, checks and the local preview behind `bscp build` and `serve`.

The orchestrator is `pipeline.build`; this package holds its pieces, each a plain function over
typed values. Nothing here reads `content/` directly: pages are written only from anonymised,
approved `PublishedDocument`s and the partnership's public settings.
"""
