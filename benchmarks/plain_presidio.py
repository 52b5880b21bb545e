"""Plain Presidio, for comparison: its default recognizers over the same spaCy model, offline.

"Plain" means what a team gets from Presidio's defaults: `AnalyzerEngine` with the full spaCy
pipeline and `load_predefined_recognizers()`, then `AnonymizerEngine` with its default operator
(each finding replaced by "<ENTITY_TYPE>"); only the model is given by path so nothing downloads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from pipeline.anonymise.engine import model_path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def plain_analyzer() -> Any:
    """Return Presidio's default analyzer over the installed model (full pipeline, default registry)."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    # Presidio's e-mail recognizer checks domains with tldextract's module-level extractor, which
    # fetches the public suffix list unless told otherwise: use the snapshot in the wheel.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": str(model_path())}])
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def analyse(analyzer: Any, chunks: Iterable[str], batch_size: int = 64) -> list[list[Any]]:
    """Return Presidio's results for each chunk, batched through `nlp.pipe` as our engine is."""
    texts = list(chunks)
    out = []
    batches = analyzer.nlp_engine.process_batch(texts, "en", batch_size=batch_size)
    for text, (_, artifacts) in zip(texts, batches, strict=True):
        out.append(analyzer.analyze(text, "en", nlp_artifacts=artifacts))
    return out


def anonymize_all(texts: list[str], results: list[list[Any]]) -> list[str]:
    """Replace every finding as Presidio's anonymizer does by default ("<ENTITY_TYPE>")."""
    from presidio_anonymizer import AnonymizerEngine

    anonymizer = AnonymizerEngine()
    return [
        anonymizer.anonymize(text=text, analyzer_results=found).text
        for text, found in zip(texts, results, strict=True)
    ]


def main(path: str) -> None:
    """Analyse and replace every text in the JSON list at `path`: one whole process, for timing."""
    import json
    from pathlib import Path

    from pipeline.anonymise.engine import chunks

    # Paragraphs, batched, as our engine reads them: Presidio is slower than linear on long texts.
    texts = [c for t in json.loads(Path(path).read_text(encoding="utf-8")) for _, c in chunks(t)]
    analyzer = plain_analyzer()
    results = analyse(analyzer, texts)
    out = anonymize_all(texts, results)
    print(sum(len(t) for t in out))


if __name__ == "__main__":
    import sys

    main(sys.argv[1])
