"""HTML to PDF. The only module that imports WeasyPrint, and only inside the function: it pulls in
Pango and a lot of Python, which web processes never need (they only queue the rendering).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """A tagged PDF (declared PDF/UA-1: structure tree, document language, title in the metadata).

    ``base_url`` is the ``file://`` URL of a folder, ending in "/". Stylesheets, fonts and images
    are read from under it and from nowhere else, so nothing in the document can make the worker
    fetch a URL or read another file. The PDF's dates come from ``<meta name="dcterms.created">``
    and ``dcterms.modified`` in the HTML (WeasyPrint adds no clock time of its own), so the same
    HTML gives the same bytes.
    """
    import weasyprint  # lazily, see the module docstring

    # Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps each subset
    # with the current time unless SOURCE_DATE_EPOCH is set (the reproducible-builds convention).
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

    root = _folder(base_url)

    class LocalFilesOnly(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if not _is_file_under(url, root):
                raise ValueError(f"Not under the report's folder: {url}")
            return super().fetch(url, headers)

    document = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=LocalFilesOnly(allowed_protocols=("file",))
    )
    # "pdf/ua-1" switches pdf_tags on and writes the XMP metadata PDF/UA asks for. It does not make
    # a document conform by itself: headings, alt texts and table headers are the template's job.
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _folder(base_url: str) -> Path:
    parts = urlsplit(base_url)
    if parts.scheme != "file" or not parts.path.endswith("/"):
        raise ValueError(f"base_url must be the file:// URL of a folder ending in '/': {base_url}")
    return Path(unquote(parts.path)).resolve()


def _is_file_under(url: str, root: Path) -> bool:
    parts = urlsplit(url)
    # resolve() folds "../" and symlinks, so a relative URL cannot climb out of the folder.
    return parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(root)
