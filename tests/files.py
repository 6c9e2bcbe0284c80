"""Real files for upload tests: uploads are parsed (ijh/files.py), so a PDF must be a PDF."""

import io


def clean_pdf(text: str = "") -> bytes:
    """A one-page PDF without active content."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript (the /Names /JavaScript tree a viewer runs on opening)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hallo');"),
            }
        )
    )
    scripts = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("begin"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_attachment() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_open_action(action: str = "/Launch") -> bytes:
    """An /OpenAction that runs ``action`` (Launch a program, or JavaScript) when opened."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    target = (
        {NameObject("/F"): TextStringObject("cmd.exe")}
        if action == "/Launch"
        else {NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    open_action = DictionaryObject({NameObject("/S"): NameObject(action), **target})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(open_action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def xlsx_with_macro() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()
