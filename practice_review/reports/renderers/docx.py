import datetime
import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt, RGBColor

from practice_review.reports.charts import render_png
from practice_review.reports.renderers import page

# The PDF's look (reports/report.html): Arial in GOV.UK black, grey cell borders, grey header cells.
FONT = "Arial"
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
BORDER_COLOUR, HEADER_FILL = "B1B4B6", "F3F2F1"
HEADING_SIZES = {"Title": 20, "Heading 1": 15, "Heading 2": 12, "Heading 3": 11, "Caption": 11}
CELL_MARGINS = Cm(0.19 * 2)  # Word's default cell margins, left and right
# What may follow a table's borders and a cell's shading in Word's XML, which keeps an order.
_AFTER_TABLE_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_AFTER_CELL_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")

# Word's XML cannot hold these control characters; a pasted form feed must not stop a report.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value):
    return _NOT_XML.sub(" ", str(value))


def _property(value):
    # Word's document properties hold at most 255 characters; a name can be longer.
    return _text(value)[:255]


def _field(paragraph, instruction, size):
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in as they lay out pages,
    in the size of the text around it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    font_size = OxmlElement("w:sz")
    font_size.set(qn("w:val"), str(int(size.pt * 2)))  # in half points
    properties.append(font_size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the field is updated
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _arial(fonts):
    """Arial for every script, in place of the template's theme fonts (Calibri, Cambria): an
    office suite without Calibri would swap in a face of its own."""
    for name in list(fonts.attrib):
        if name.endswith("Theme") or name.endswith("theme"):
            del fonts.attrib[name]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _house_styles(document):
    """The template's styles in the PDF's look: Arial throughout, black headings of the PDF's
    sizes without the template's blue rule under the title, British English for spelling."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _arial(run_defaults.find(qn("w:rFonts")))
    run_defaults.find(qn("w:lang")).set(qn("w:val"), "en-GB")
    for fonts in styles.element.iter(qn("w:rFonts")):
        _arial(fonts)
    styles["Normal"].font.size = Pt(11)
    for name, size in HEADING_SIZES.items():
        style = styles[name]
        style.font.size, style.font.bold = Pt(size), True
        style.font.color.rgb = TEXT_COLOUR
        style.paragraph_format.space_after = Pt(6)  # the template's 0 sets text on the heading
        for attribute in ("themeColor", "themeShade"):
            colour = style.element.rPr.find(qn("w:color"))
            colour.attrib.pop(qn(f"w:{attribute}"), None)
    title = styles["Title"].element.pPr
    title.remove(title.find(qn("w:pBdr")))
    styles["Caption"].paragraph_format.space_before = Pt(12)
    styles["Caption"].paragraph_format.keep_with_next = True


def _text_width(text, bold=False):
    """Roughly how wide `text` is in 11 pt Arial, in EMU: letters in three widths (Arial's
    capitals and m and w are widest, i, l, t and punctuation narrowest), on the generous side so
    a column made this wide holds the word."""
    ems = 0.0
    for letter in text:
        if letter in "ijlft.,;:'()[]!| " or letter == "I":
            ems += 0.3
        elif letter.isupper() or letter in "mwMW%@":
            ems += 0.76
        else:
            ems += 0.57
    return int(Pt(11 * ems * (1.1 if bold else 1)))


def _column_widths(rows, total):
    """Column widths that add up to `total` (the text width), much as a browser lays out the
    PDF's tables: each column at least as wide as its longest word, so no word is split across
    lines; then the room left goes first to columns that need little more to hold their text on
    one line (a "Protective marking" label, "10 of 10 (100%)"), and the rest is shared by how
    much more text each column holds. `rows` are lists of (text, bold)."""
    columns = list(zip(*rows, strict=True))
    least = [
        max(_text_width(word, bold) for text, bold in column for word in text.split() or [""])
        + CELL_MARGINS
        + Mm(1)
        for column in columns
    ]
    if sum(least) >= total:
        return [width * total // sum(least) for width in least]
    most = [
        max(_text_width(text, bold) for text, bold in column) + CELL_MARGINS + Mm(1)
        for column in columns
    ]
    widths, spare = list(least), total - sum(least)
    wanted = [m - n for m, n in zip(most, least, strict=True)]
    waiting = sorted(range(len(columns)), key=lambda i: wanted[i])
    while waiting and spare > 0:
        if wanted[waiting[0]] <= spare // len(waiting):
            column = waiting.pop(0)  # needs no more than an even share: give it all it wants
            spare -= wanted[column]
            widths[column] = most[column]
        else:  # the rest share what is left by how much more text each holds
            still_wanted = sum(wanted[i] for i in waiting)
            for column in waiting:
                widths[column] += spare * wanted[column] // still_wanted
            spare, waiting = 0, []
    if spare:  # every column holds its text on one line: widen them all alike to the margins
        widths = [width * total // sum(widths) for width in widths]
    return widths


def _lay_out(table, rows, total):
    """Fixed column widths (Word would otherwise fit them to the text its own way, and
    LibreOffice uses equal columns), grey borders and rows that do not break across pages."""
    widths = _column_widths(rows, total)
    table.autofit = False  # <w:tblLayout w:type="fixed"/>
    borders = OxmlElement("w:tblBorders")
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TABLE_BORDERS)
    # A little room above and below the text in each cell, as the PDF's cells have; Word's
    # usual room at the sides (CELL_MARGINS), in twentieths of a point.
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 57), ("left", 108), ("bottom", 57), ("right", 108)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{edge}")
        border.set(qn("w:val"), "single")
        border.set(qn("w:sz"), "4")
        border.set(qn("w:color"), BORDER_COLOUR)
        borders.append(border)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        row._tr.get_or_add_trPr().insert_element_before(
            OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader"
        )
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _page_text_width(document):
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def _header_cell(cell, text):
    """A cell that heads its column or row: bold on the PDF's grey."""
    cell.text = _text(text)
    for run in cell.paragraphs[0].runs:
        run.bold = True
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *_AFTER_CELL_SHADING)


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
        _house_styles(document)
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
        _field(numbers, "PAGE", Pt(9))
        numbers.add_run(" of ")
        _field(numbers, "NUMPAGES", Pt(9))
        for paragraph in (footer, numbers):
            for run in paragraph.runs:
                run.font.size = Pt(9)

    def _control(self, document, rows):
        document.add_paragraph("Document control", style="Caption")
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for what, detail in rows:
            cells = table.add_row().cells
            _header_cell(cells[0], what)
            cells[1].text = _text(detail)
        _lay_out(table, [[(what, True), (detail, False)] for what, detail in rows],
                 _page_text_width(document))  # fmt: skip

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
        # The picture's paragraph stays on the page of the caption that follows it.
        document.paragraphs[-1].paragraph_format.keep_with_next = True
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
            _header_cell(cell, text)
        for row in table.rows:
            cells = word_table.add_row().cells
            _header_cell(cells[0], row[0])  # the PDF's row header
            for cell, text in zip(cells[1:], row[1:], strict=True):
                cell.text = _text(text)
        rows = [[(text, True) for text in table.header]]
        rows += [[(row[0], True), *((text, False) for text in row[1:])] for row in table.rows]
        _lay_out(word_table, rows, _page_text_width(document))
        _repeat_header_row(word_table.rows[0])
