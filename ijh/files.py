"""Uploads into private storage: checked by content (not just by name), renamed to a random name.

Views never serve MEDIA_ROOT by URL; each download view checks access and streams the file.
"""

import os
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# extension → magic bytes at the start of the file. Office files are ZIP containers.
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
}
DOCUMENT_EXTENSIONS = tuple(_SIGNATURES)
PDF_OR_IMAGE = (".pdf", ".png", ".jpg", ".jpeg")


def validate_upload(upload, *, allowed: tuple[str, ...] = DOCUMENT_EXTENSIONS) -> None:
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in allowed:
        raise ValidationError(
            _("Dit bestandstype is niet toegelaten. Toegelaten: %(types)s.")
            % {"types": ", ".join(ext.lstrip(".").upper() for ext in allowed)},
            code="file_type",
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Het bestand is groter dan 10 MB."), code="file_size")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in _SIGNATURES[extension]):
        raise ValidationError(
            _("De inhoud van het bestand past niet bij de extensie %(ext)s.") % {"ext": extension},
            code="file_content",
        )
    check_active_content(upload, extension)


# --- active content (issue 22 §4) ------------------------------------------------------------------
#
# A PDF can carry scripts that run when it is opened (/JavaScript, /JS), actions that start a
# program or run on opening (/Launch, /OpenAction or /AA with such an action), files hidden inside
# it (/EmbeddedFile) and script-carrying forms or media (/XFA, /RichMedia). Office files can carry
# macros, embedded objects, ActiveX controls and links to outside workbooks. Uploads with any of
# these are refused: what we keep is read by caseworkers and steering members on their own PCs.

_PDF_FORBIDDEN_KEYS = {"/JavaScript", "/JS", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
_PDF_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute"}
_OFFICE_FORBIDDEN_PARTS = (
    "vbaProject.bin",
    "/embeddings/",
    "/activeX/",
    "/externalLinks/",
    "Basic/",
    "Scripts/",
)
_MAX_PDF_OBJECTS = 100_000


class ActiveContent(ValidationError):
    pass


def _pdf_findings(upload) -> set[str]:
    """Names of active content found by walking every object reachable from the trailer."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    upload.seek(0)
    reader = PdfReader(upload, strict=False)
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        visited += 1
        if visited > _MAX_PDF_OBJECTS:
            found.add("te veel objecten")
            break
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in _PDF_FORBIDDEN_KEYS:
                    found.add(name)
                if name == "/S" and isinstance(value, NameObject) and value in _PDF_FORBIDDEN_ACTIONS:
                    found.add(str(value))
                if name == "/Type" and value == "/EmbeddedFile":
                    found.add("/EmbeddedFile")
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    upload.seek(0)
    return found


def check_active_content(upload, extension: str) -> None:
    """Refuse uploads that carry scripts, launch actions, embedded files or macros."""
    import zipfile

    message = _(
        "Dit bestand bevat actieve inhoud (%(what)s) en wordt niet bewaard. Bewaar of druk het opnieuw af "
        "als gewone PDF (of als document zonder macro's) en laad dat op."
    )
    if extension == ".pdf":
        try:
            found = _pdf_findings(upload)
        except Exception as exc:  # pypdf raises many kinds for a damaged file
            raise ValidationError(
                _("Dit PDF-bestand kan niet gelezen worden. Bewaar het opnieuw als PDF."), code="file_damaged"
            ) from exc
        if found:
            raise ActiveContent(message % {"what": ", ".join(sorted(found))}, code="active_content")
    elif extension in (".docx", ".xlsx", ".odt"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                parts = archive.namelist()
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("Dit bestand is beschadigd."), code="file_damaged") from exc
        finally:
            upload.seek(0)
        found = sorted(
            {marker.strip("/") for marker in _OFFICE_FORBIDDEN_PARTS for part in parts if marker in part}
        )
        if found:
            raise ActiveContent(message % {"what": ", ".join(found)}, code="active_content")


def private_path(folder: str, filename: str) -> str:
    """Keep the extension but not the name (names can identify people). For upload_to functions."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def store_atomically(name: str, content: bytes) -> str:
    """Write a generated file (report, case document) to private storage so that no reader ever
    sees half of it, and a retry overwrites instead of adding a second copy.

    On a filesystem: a temporary file in the same folder, renamed over the final name (atomic on
    one filesystem); leftovers of an attempt killed while writing are removed first. Object
    stores (S3) publish an object only once it is completely uploaded.
    """
    import glob
    import os
    import tempfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if hasattr(default_storage, "path"):
        final_path = default_storage.path(name)
        folder = os.path.dirname(final_path)
        stem = os.path.splitext(os.path.basename(final_path))[0]
        os.makedirs(folder, exist_ok=True)
        for leftover in glob.glob(os.path.join(folder, f"{glob.escape(stem)}-*.part")):
            os.remove(leftover)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f"{stem}-", suffix=".part", delete=False
        ) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, final_path)
        return name
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))
