"""Build small .docx and .pdf contracts for tests (original text, written here)."""

from __future__ import annotations

from pathlib import Path


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    """A .docx with the given paragraphs, then (optionally) a table of the given rows."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row_cells, row in zip(grid.rows, table):
            for cell, text in zip(row_cells.cells, row):
                cell.text = text
    document.save(str(path))
    return path


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one page per list of lines (Helvetica, ASCII text), built by hand."""
    objects: list[str] = []
    page_ids = []
    font_id = 3
    next_id = 4
    page_objects = []
    for lines in pages:
        content = "BT /F1 11 Tf 14 TL 72 760 Td " + " T* ".join(f"{_pdf_string(line)} Tj" for line in lines) + " ET"
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        page_ids.append(page_id)
        page_objects.append((page_id, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                                      f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"))
        page_objects.append((content_id, f"<< /Length {len(content)} >>\nstream\n{content}\nendstream"))
    objects = [
        (1, "<< /Type /Catalog /Pages 2 0 R >>"),
        (2, f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {len(page_ids)} >>"),
        (3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *page_objects,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number, body in objects:
        offsets[number] = len(out)
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    count = len(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for number in range(1, count):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
