"""The redaction report: a self-contained page a reviewer checks before approving a document.

A pure rendering of the findings and notes: every published field as written, each replacement marked
and explained, a table of findings, filters by type, a summary, and a "please check" list. It contains
the real identifiers, so it is written under build/reports/ only and never enters the site.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from pipeline.anonymise.results import AnonymisedDocument, Finding, Note
from pipeline.anonymise.run import project_root
from pipeline.content.project import Project

LAYER_NAMES = {
    "policy": "Reviewer's replacement",
    "known": "Listed in review.yaml",
    "pattern": "Pattern or name list",
    "ner": "Language model (NER)",
}


@dataclass(frozen=True)
class RedactionReport:
    """Where the report was written."""

    html: Path
    json: Path


def report_data(result: AnonymisedDocument, items: list[Any] | None = None) -> dict[str, Any]:
    """Return the report's findings, check list and notes as JSON-ready data."""
    findings = result.all_findings()
    notes = [n for found in result.notes.values() for n in found]
    items = _items(result, items)
    return {
        "id": result.document.id,
        "title": result.document.title,
        "output_hash": result.output_hash,
        "policy_hash": result.policy_hash,
        "summary": {
            "findings": len(findings),
            "by_type": dict(sorted(Counter(f.entity_type for f in findings).items())),
            "by_layer": dict(sorted(Counter(f.layer for f in findings).items())),
            "please_check": len(items),
            "notes": len(notes),
        },
        "findings": [f.to_json() for f in findings],
        "please_check": [i.to_json() for i in items],
        "notes": [n.to_json() for n in notes],
    }


def _items(result: AnonymisedDocument, items: list[Any] | None) -> list[Any]:
    """The reviewer's check list (pipeline.review.checklist): flags and grouped notes."""
    if items is not None:
        return [i for i in items if i.category != "yours"]
    from pipeline.review.checklist import checklist

    return checklist(result)


def write_report(
    project: Project, result: AnonymisedDocument, items: list[Any] | None = None
) -> RedactionReport:
    """Write `build/reports/<id>.html` and `.json` and return their paths (`items`: the check list,
    made here when not given)."""
    items = _items(result, items)
    folder = project_root(project) / "build" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    doc_id = result.document.id
    html_path = folder / f"{doc_id}.html"
    json_path = folder / f"{doc_id}.json"
    html_path.write_text(render_html(result, items), encoding="utf-8")
    json_path.write_text(
        json.dumps(report_data(result, items), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return RedactionReport(html_path, json_path)


def _tip(f: Finding) -> str:
    tip = (
        f"{f.entity_type} · {LAYER_NAMES.get(f.layer, f.layer)} · {f.recognizer} · "
        f"score {f.score:.2f} → “{f.replacement}”"
    )
    return tip + (f" · {f.explanation}" if f.explanation else "")


def marked_html(text: str, findings: list[Finding], notes: list[Note]) -> str:
    """Return the original text as HTML with every finding and note marked in place."""
    spans: list[tuple[int, int, str, str]] = []  # start, end, "finding"|"note", html
    for number, f in enumerate(findings):
        tip_id = f"tip-{escape(f.field)}-{number}"
        spans.append(
            (
                f.start,
                f.end,
                "finding",
                f'<mark class="finding" data-type="{escape(f.entity_type)}" tabindex="0" '
                f'aria-describedby="{tip_id}">{escape(text[f.start : f.end])}'
                f'<span class="tip" role="tooltip" id="{tip_id}">{escape(_tip(f))}</span></mark>',
            )
        )
    for n in notes:
        html = (
            f'<span class="check" title="{escape(n.reason)}">{escape(text[n.start : n.end])}</span>'
        )
        spans.append((n.start, n.end, "note", html))
    out = []
    position = 0
    for start, end, _, html in sorted(spans, key=lambda s: (s[0], s[2] != "finding")):
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(html)
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def render_html(result: AnonymisedDocument, items: list[Any] | None = None) -> str:
    """Return the report as one HTML page with inline CSS and JavaScript and no external assets."""
    items = _items(result, items)
    data = report_data(result, items)
    findings = result.all_findings()
    types = sorted({f.entity_type for f in findings})
    doc = result.original
    title = f"Redaction report: {doc.id}"
    parts = [
        "<!doctype html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        '<a class="skip" href="#findings">Skip to the findings</a>',
        f"<header><h1>{escape(title)}</h1>",
        '<p class="warning" role="note"><strong>Confidential.</strong> This page shows the real names and '
        "details that were removed. Keep it inside the partnership; it is never published.</p>",
        f"<p>{escape(doc.title)} · policy {data['policy_hash'][:12]} · output {data['output_hash'][:12]}</p></header>",
        "<main>",
        '<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>',
        f"<p>{len(findings)} replacements; {data['summary']['please_check']} things to check by hand.</p>",
        _count_table("Replacements by type", "Type", data["summary"]["by_type"]),
        _count_table(
            "Replacements by layer",
            "Layer",
            {LAYER_NAMES.get(k, k): v for k, v in data["summary"]["by_layer"].items()},
        ),
        "</section>",
        '<section aria-labelledby="check-h"><h2 id="check-h">Please check</h2>',
        "<p>Replacements that no longer read, and words kept in the published text that are worth a "
        "second look: words that look like names, ages, dates, and details that could identify a "
        "family in combination. Each needs a decision: <em>keep as is</em>, <em>remove</em> "
        "(<code>anonymisation.deny</code>), <em>keep the word</em> (<code>allow</code>) or "
        "<em>replace with…</em> (<code>replacements</code>); <code>bscp review</code> writes them "
        "for you.</p>",
        _items_table(items),
        "</section>",
        '<section aria-labelledby="filter-h"><h2 id="filter-h">Show replacements of type</h2>',
        '<fieldset class="filters"><legend>Types shown</legend>',
        *(
            f'<label><input type="checkbox" class="type-filter" value="{escape(t)}" checked> {escape(t)}</label>'
            for t in types
        ),
        "</fieldset></section>",
        '<section aria-labelledby="text-h"><h2 id="text-h">The text as written, with each replacement</h2>',
        "<p>Hover over or tab to a marked word to see why it was replaced and what replaced it. "
        'Words <span class="check">underlined in dots</span> are on the please-check list. '
        "The published text is beside it (below it on a phone).</p>",
    ]
    for name, text in doc.text_fields():
        found = result.findings.get(name, [])
        notes = result.notes.get(name, [])
        published = dict(result.document.text_fields()).get(name, "")
        parts += [
            f'<article class="field"><h3>{escape(name)}</h3><div class="pair">',
            f'<div><h4>As written</h4><div class="text">{marked_html(text, found, notes)}</div></div>',
            f'<div><h4>Published</h4><div class="text">{escape(published)}</div></div>',
            "</div></article>",
        ]
    parts += [
        "</section>",
        '<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Every replacement</h2>',
        _findings_table(findings),
        "</section>",
        _approve_section(doc.id, len(items)),
        "</main>",
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _count_table(caption: str, heading: str, counts: dict[str, int]) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{escape(k)}</th><td>{v}</td></tr>" for k, v in counts.items()
    )
    return (
        f"<table class='counts'><caption>{escape(caption)}</caption>"
        f"<thead><tr><th scope='col'>{escape(heading)}</th><th scope='col'>Count</th></tr></thead>"
        f"<tbody>{rows or '<tr><td colspan=2>None</td></tr>'}</tbody></table>"
    )


def _items_table(items: list[Any]) -> str:
    if not items:
        return "<p>Nothing to check.</p>"
    rows = "".join(
        f"<tr><td>{escape(i.kind)}</td><td>{escape(i.subject)}"
        + (f"<br><small>{escape(i.context)}</small>" if i.context else "")
        + f"</td><td>{i.count}</td><td>{escape(', '.join(i.fields))}</td>"
        f"<td>{escape(i.reason)}</td></tr>"
        for i in items
    )
    return (
        "<div class='scroll' tabindex='0' role='region' aria-label='Items to decide'><table><caption>To decide, replacements that read wrong first</caption>"
        "<thead><tr><th scope='col'>What</th><th scope='col'>Words</th><th scope='col'>Times</th>"
        "<th scope='col'>Where</th><th scope='col'>Why check</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


def approve_command(doc_id: str) -> str:
    """Return the exact command that approves a document, for the reviewer to copy."""
    return f'bscp approve {doc_id} --reviewer "Your Full Name"'


def _approve_section(doc_id: str, left: int) -> str:
    return (
        '<section aria-labelledby="approve-h"><h2 id="approve-h">Approve</h2>'
        f"<p>Decide each of the {left} items above in your browser with "
        f"<code>bscp review {escape(doc_id)}</code>, which writes your decisions into "
        "<code>review.yaml</code> and shows the result at once. When every item is decided, "
        "approve in the review page, or with this command (your own name):</p>"
        f"<pre><code>{escape(approve_command(doc_id))}</code></pre>"
        "<p>If you have read every item in this report and keep them all as they are, add "
        "<code>--keep-the-rest</code>:</p>"
        f"<pre><code>{escape(approve_command(doc_id))} --keep-the-rest</code></pre>"
        "<p>Approving records your name, the time, and hashes of the output, the policy and this "
        "report; any later change to the output makes the approval stale.</p></section>"
    )


def _findings_table(findings: list[Finding]) -> str:
    if not findings:
        return "<p>Nothing was replaced.</p>"
    rows = "".join(
        f"<tr data-type='{escape(f.entity_type)}'><td>{escape(f.field)}</td><td>{escape(f.text)}</td>"
        f"<td>{escape(f.entity_type)}</td><td>{escape(LAYER_NAMES.get(f.layer, f.layer))}</td>"
        f"<td>{escape(f.recognizer)}</td><td>{f.score:.2f}</td><td>{escape(f.replacement)}</td>"
        f"<td>{escape(f.explanation)}</td></tr>"
        for f in findings
    )
    return (
        "<div class='scroll' tabindex='0' role='region' aria-label='Every replacement'><table class='findings'><caption>Replacements, in the order of the text</caption><thead><tr>"
        "<th scope='col'>Field</th><th scope='col'>Original</th><th scope='col'>Type</th>"
        "<th scope='col'>Layer</th><th scope='col'>Recognizer</th><th scope='col'>Score</th>"
        "<th scope='col'>Replaced by</th><th scope='col'>Explanation</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )


CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#fff;margin:0 auto;max-width:70rem;padding:0 1rem 3rem}
h1,h2,h3{line-height:1.2}h2{margin-top:2.5rem;border-bottom:2px solid #1d3557}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#ffdd00;color:#000;padding:.5rem}
.warning{background:#fff4e5;border-left:6px solid #b35900;padding:.75rem 1rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #767676;padding:.35rem .5rem;text-align:left;vertical-align:top}thead th{background:#e8eef5}
table.counts{width:auto;min-width:20rem}
.text{white-space:pre-wrap;background:#f7f7f7;border:1px solid #ccc;padding:1rem;overflow-wrap:anywhere}
mark.finding{background:#ffe08a;color:#000;position:relative;border-bottom:2px solid #8a5a00;padding:0 .1rem}
mark.finding:focus{outline:3px solid #1d3557;outline-offset:2px}
mark .tip{display:none;position:absolute;left:0;top:1.6em;z-index:2;background:#1b1b1b;color:#fff;padding:.4rem .6rem;border-radius:4px;width:max-content;max-width:28rem;font-size:.875rem;white-space:normal}
mark:hover .tip,mark:focus .tip{display:block}
.scroll{overflow-x:auto;max-width:100%}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.pair>div{min-width:0}h4{margin:.5rem 0}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0f0f0;padding:.5rem}
@media (max-width:40rem){.pair{grid-template-columns:1fr}table.counts{min-width:0}
mark .tip{position:fixed;left:.5rem;right:.5rem;top:auto;bottom:.5rem;width:auto;max-width:none}}
.check{text-decoration:underline dotted #b00020 2px;text-underline-offset:3px}
.filters label{display:inline-block;margin:.25rem 1rem .25rem 0}
.hidden-type{background:transparent!important;border-bottom:none!important}
tr.hidden-type{display:none}
a{color:#1d3557}
"""

SCRIPT = """
document.querySelectorAll('.type-filter').forEach(function(box){
  box.addEventListener('change',function(){
    var shown=box.checked;
    document.querySelectorAll('[data-type="'+box.value+'"]').forEach(function(el){
      el.classList.toggle('hidden-type',!shown);
    });
  });
});
"""
