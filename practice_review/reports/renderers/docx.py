import io
import re

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from practice_review.reports.charts import render_png

# Word's XML cannot hold these control characters; a pasted form feed must not stop a report.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value):
    return _NOT_XML.sub(" ", str(value))


def _repeat_header_row(row):
    """Mark a table's first row as a header row that repeats on each page (screen readers
    and Word's accessibility checker read it as the header)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


class DocxRenderer:
    format = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def render(self, report):
        document = Document()
        document.core_properties.title = _text(f"{report.title}: {report.subtitle}")
        document.core_properties.author = report.council
        document.styles["Normal"].font.name = "Arial"
        document.styles["Normal"].font.size = Pt(11)
        document.add_heading(_text(report.title), level=0)
        document.add_paragraph(_text(f"{report.council}. {report.subtitle}"))
        if report.edition:
            document.add_paragraph(_text(report.edition))
        for section in report.sections:
            self._section(document, section, level=1)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def _section(self, document, section, level):
        document.add_heading(_text(f"{section.number}. {section.title}"), level=level)
        for block in section.narrative:
            self._block(document, block, level)
        for paragraph in section.paragraphs:
            document.add_paragraph(_text(paragraph))
        for bullet in section.bullets:
            document.add_paragraph(_text(bullet), style="List Bullet")
        for table in section.tables:
            self._table(document, table)
        for chart in section.charts:
            self._chart(document, chart)
        for subsection in section.subsections:
            self._section(document, subsection, level=level + 1)

    def _block(self, document, block, level):
        if block.kind == "heading":
            paragraphs = [document.add_heading(level=level + 1)]
        else:
            style = {"bullets": "List Bullet", "numbers": "List Number"}.get(block.kind)
            paragraphs = [document.add_paragraph(style=style) for _ in block.items]
        for paragraph, runs in zip(paragraphs, block.items, strict=False):
            for run in runs:
                word_run = paragraph.add_run(_text(run.text))
                word_run.bold = run.bold or None
                word_run.italic = run.italic or None

    def _chart(self, document, chart):
        document.add_picture(io.BytesIO(render_png(chart)), width=Inches(6))
        picture = document.inline_shapes[-1]
        # Word's alternative text lives in the picture's docPr (title and description).
        properties = picture._inline.docPr
        properties.set("title", _text(chart.title))
        properties.set("descr", _text(chart.alt))
        document.add_paragraph(_text(f"Figure: {chart.title}"), style="Caption")

    def _table(self, document, table):
        document.add_paragraph(_text(table.caption), style="Caption")
        word_table = document.add_table(rows=1, cols=len(table.header))
        word_table.style = "Table Grid"
        for cell, text in zip(word_table.rows[0].cells, table.header, strict=True):
            cell.text = _text(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_header_row(word_table.rows[0])
        for row in table.rows:
            for cell, text in zip(word_table.add_row().cells, row, strict=True):
                cell.text = _text(text)
