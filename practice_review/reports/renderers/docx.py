import datetime
import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt

from practice_review.reports.charts import render_png
from practice_review.reports.renderers import page

# Word's XML cannot hold these control characters; a pasted form feed must not stop a report.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value):
    return _NOT_XML.sub(" ", str(value))


def _property(value):
    # Word's document properties hold at most 255 characters; a name can be longer.
    return _text(value)[:255]


def _field(paragraph, instruction):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in as they lay out pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the field is updated
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


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
        self._properties(document, report)
        document.styles["Normal"].font.name = "Arial"
        document.styles["Normal"].font.size = Pt(11)
        self._page(document.sections[0], report)
        document.add_heading(_text(report.title), level=0)
        document.add_paragraph(_text(f"{report.council}. {report.subtitle}"))
        if report.edition:
            document.add_paragraph(_text(report.edition))
        if report.control:
            self._control(document, report.control)
        for section in [report.key_messages, *report.sections]:
            if section:
                self._section(document, section, level=1)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    def _properties(self, document, report):
        """Word's document properties, all true: python-docx's template says it was written by
        python-docx in 2013."""
        properties = document.core_properties
        properties.title = _property(report.document_title)
        properties.subject = _property(report.subtitle)
        properties.author = _property(report.author or report.council)
        properties.last_modified_by = properties.author
        properties.comments = ""
        properties.category = _property(report.marking)
        properties.revision = 1
        # Naive UTC: python-docx writes the time as given with a Z after it.
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
        properties.created = properties.modified = now

    def _page(self, section, report):
        """A4 with the PDF's margins; the marking at the top of each page, the title, version
        and "Page n of m" at the foot (Word's PAGE and NUMPAGES fields)."""
        section.page_width, section.page_height = Mm(page.WIDTH_MM), Mm(page.HEIGHT_MM)
        section.top_margin = section.bottom_margin = Cm(page.MARGIN_TOP_BOTTOM_CM)
        section.left_margin = section.right_margin = Cm(page.MARGIN_SIDES_CM)
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if report.marking:
            header.add_run(_text(report.marking)).bold = True
        footer = section.footer.paragraphs[0]
        footer.add_run(_text(report.footer or report.document_title))
        numbers = section.footer.add_paragraph()
        numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        numbers.add_run("Page ")
        _field(numbers, "PAGE")
        numbers.add_run(" of ")
        _field(numbers, "NUMPAGES")
        for paragraph in (footer, numbers):
            for run in paragraph.runs:
                run.font.size = Pt(9)

    def _control(self, document, rows):
        document.add_paragraph("Document control", style="Caption")
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for what, detail in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = _text(what), _text(detail)
            for run in cells[0].paragraphs[0].runs:
                run.bold = True

    def _section(self, document, section, level):
        document.add_heading(_text(section.heading), level=level)
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
