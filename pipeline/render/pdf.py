"""Convert Word documents to PDF with LibreOffice, headless, in a throw-away profile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import ConversionError, ConverterMissing

INSTALL_HINT = (
    "LibreOffice is not installed, so no PDF was made: install it with "
    "`sudo apt-get install libreoffice-writer-nogui` (Debian/Ubuntu) and run the command again"
)
# LibreOffice's PDF export options (JSON form, LibreOffice 7.4 and later): a tagged PDF, so that
# screen readers get the headings, lists, tables and reading order, and PDF/UA mode, which shows the
# document's title (from the Word file's core properties) instead of its file name. The language
# comes from the Word file's own (en-GB, see pipeline/render/clean.py).
PDF_EXPORT_OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True}
PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {
        name: {"type": "boolean", "value": "true" if value else "false"}
        for name, value in PDF_EXPORT_OPTIONS.items()
    },
    separators=(",", ":"),
)
TIMEOUT_SECONDS = 180  # for one document; a batch gets more (see `_timeout`)


def soffice() -> str:
    """Return the LibreOffice executable, or raise a ConversionError saying how to install it."""
    found = os.environ.get("BSCP_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConverterMissing(INSTALL_HINT)
    return found


def to_pdfs(docx_paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert several documents in one LibreOffice run (it starts slowly); return the PDFs."""
    if not docx_paths:
        return []
    executable = soffice()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bscp-soffice-") as home:
        # A fresh HOME and profile: no user's settings or name reach the PDF, and a running
        # LibreOffice window does not swallow the conversion.
        env = {**os.environ, "HOME": home}
        command = [
            executable,
            f"-env:UserInstallation={Path(home).as_uri()}/profile",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(out_dir),
            *(str(Path(p).resolve()) for p in docx_paths),
        ]
        try:
            result = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=_timeout(len(docx_paths)),
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise ConverterMissing(INSTALL_HINT) from None
        except subprocess.TimeoutExpired:
            raise ConversionError(
                f"LibreOffice took more than {_timeout(len(docx_paths))} s to convert {len(docx_paths)} document(s) and was stopped"
            ) from None
    pdfs = [out_dir / (Path(p).stem + ".pdf") for p in docx_paths]
    missing = [p for p in pdfs if not p.is_file()]
    if result.returncode != 0 or missing:
        detail = (result.stderr or result.stdout or "").strip().splitlines()
        raise ConversionError(
            f"LibreOffice could not convert {', '.join(Path(p).name for p in docx_paths)}"
            + (f": {detail[-1]}" if detail else "")
        )
    return pdfs


def _timeout(count: int) -> int:
    return TIMEOUT_SECONDS + 10 * (count - 1)


def to_pdfs_parallel(
    docx_paths: Sequence[Path], out_dir: Path, workers: int | None = None
) -> list[Path]:
    """Convert documents with one LibreOffice per core, each taking an equal share; return the PDFs."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [Path(p) for p in docx_paths]
    count = max(
        1,
        min(
            workers or int(os.environ.get("BSCP_WORKERS", "0") or 0) or (os.cpu_count() or 1),
            len(paths),
        ),
    )
    if count == 1:
        return to_pdfs(paths, out_dir)
    shares = [paths[i::count] for i in range(count)]
    with ThreadPoolExecutor(count) as pool:  # the work is in the LibreOffice processes, not here
        for _ in pool.map(lambda share: to_pdfs(share, out_dir), shares):
            pass
    return [Path(out_dir) / (p.stem + ".pdf") for p in paths]


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert one Word document to PDF in `out_dir`; return the PDF's path."""
    return to_pdfs([Path(docx_path)], out_dir)[0]
