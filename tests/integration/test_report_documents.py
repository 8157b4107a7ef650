"""The summary report as files: DOCX reopened with python-docx, HTML, PDF read back."""

import datetime
import importlib.abc
import io
import re
import sys

import docx
import pytest
from django.core.management import call_command
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from PIL import ImageFont

from practice_review.reports.charts import render_svg
from practice_review.reports.renderers import RENDERERS
from practice_review.reports.summary import summary_report
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, SEPTEMBER
from tests.pdfs import read_pdf

pytestmark = pytest.mark.django_db


def test_the_docx_has_word_headings_numbered_sections_and_header_rows(seeded, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="docx", output=str(out))
    document = docx.Document(out)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[0] == "Key messages"
    assert headings[1:4] == [
        "1. Introduction and methodology",
        "2. Overview of the cohort",
        "3. Overall gradings and summary of findings",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Independent reviewers completed 8 of 10 (80%)" in text
    cohort_table = document.tables[1]  # after the document control table
    assert [c.text for c in cohort_table.rows[0].cells][:3] == ["Initials", "Gender", "Age"]
    assert cohort_table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # a real header row
    assert [c.text for c in cohort_table.rows[1].cells][:3] == ["VB", "Male", "2 months"]
    assert "AS-S: practice outstanding, outcomes requires improvement to be good." in text


def test_the_html_report_is_escaped_and_has_table_headers(seeded):
    from practice_review.reviews.models import Review

    Review.objects.filter(child__case_ref="C1005").update(
        practice_outcome_reason="<script>alert(1)</script>"
    )
    html = RENDERERS["html"]().render(summary_report(find_cohort(SEPTEMBER))).decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<th scope="col">Initials</th>' in html
    assert "10 of 10 (100%)" in html


def test_other_formats_need_an_output_path(seeded):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="needs --output"):
        call_command("report", cohort=SEPTEMBER, format="pdf")


@pytest.mark.pdf
def test_the_pdf_is_a4_with_page_numbers_and_the_same_figures(seeded, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="pdf", output=str(out))
    pdf = read_pdf(out.read_bytes())
    assert "Page 1 of" in pdf.words
    assert "Independent reviewers completed 8 of 10 (80%)" in pdf.words
    assert pdf.is_a4
    assert pdf.tagged


def test_a_review_downloads_as_a_word_document_for_the_case_file(client, cast):
    from practice_review.reviews.models import Review

    review = Review.objects.get(child__case_ref="C1006")  # MW: RL is not the worker, BA supervises
    client.force_login(cast["manager"])
    response = client.get(f"/reviews/{review.id}/document.docx")
    assert response.status_code == 200
    assert "MW" not in response["Content-Disposition"]  # the reference only, never initials
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["1. The review", "2. The child at the review", "3. Practice standards"]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert "Eritrean" in cells and "Requires improvement to be good" in cells


@pytest.mark.parametrize(("person", "status"), [
    ("qa_lead", 200), ("manager", 200), ("practitioner", 404), ("admin", 404),
    ("reviewer_internal", 404),
])  # fmt: skip
def test_review_documents_are_scoped_like_the_review(client, cast, person, status):
    from practice_review.reviews.models import Review

    review = Review.objects.get(child__case_ref="C1006")
    client.force_login(cast[person])
    assert client.get(f"/reviews/{review.id}/document.docx").status_code == status
    assert client.get(f"/reviews/{review.id}/document.txt").status_code == 404


@pytest.mark.pdf
def test_a_review_downloads_as_a_tagged_pdf(client, cast):
    from practice_review.reviews.models import Review

    review = Review.objects.get(child__case_ref="C1006")
    client.force_login(cast["qa_lead"])
    response = client.get(f"/reviews/{review.id}/document.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = read_pdf(response.content)
    assert "Practice and Impact Review" in pdf.words and "Religion not recorded" in pdf.words
    assert pdf.tagged


def test_charts_are_images_with_alternative_text_in_word_and_html(seeded, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="docx", output=str(out))
    document = docx.Document(out)
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(descriptions) == 3
    assert all(d.startswith("Bar chart, ") for d in descriptions)
    html = RENDERERS["html"]().render(summary_report(find_cohort(SEPTEMBER))).decode()
    assert html.count('<img src="data:image/svg+xml;base64,') == 2  # no comparator: 2 charts
    assert 'alt="Bar chart, Practice standards met, in reviews. Met: Basic details' in html


def test_a_control_character_in_a_finding_does_not_stop_the_word_document(seeded, tmp_path):
    from practice_review.reviews.models import ThemeFinding

    ThemeFinding.objects.filter(review__child__case_ref="C1003").update(
        strengths="Pasted\x0cfrom Word"
    )
    out = tmp_path / "report.docx"
    call_command("report", cohort=SEPTEMBER, format="docx", output=str(out))
    assert "Pasted from Word" in "\n".join(p.text for p in docx.Document(out).paragraphs)


class _NoPango(importlib.abc.MetaPathFinder):
    """A server without Debian's Pango: importing WeasyPrint fails as cffi's dlopen fails."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError(
                "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                "object file: No such file or directory"
            )
        return None


def test_a_server_without_pango_says_which_package_pdfs_need_instead_of_failing(
    client, cast, monkeypatch
):
    from practice_review.reports import actions
    from practice_review.reviews.models import Review

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    report = actions.create_report(by=cast["qa_lead"], title="Autumn summary",
                                   cohorts=[find_cohort(SEPTEMBER)])  # fmt: skip
    review = Review.objects.get(child__case_ref="C1006")
    client.force_login(cast["qa_lead"])
    for url in (f"/reviews/{review.id}/document.pdf", f"/reports/{report.pk}/draft-full.pdf"):
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.content.decode()
        assert "PDF files cannot be made on this server" in page
        assert "apt-get install libpango-1.0-0" in page
    # Word needs no system library: it still downloads.
    assert client.get(f"/reports/{report.pk}/draft-full.docx").status_code == 200


def test_the_word_report_is_a4_marked_numbered_and_its_properties_are_true(
    seeded, tmp_path, settings
):
    out = tmp_path / "report.docx"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="docx", output=str(out))
    document = docx.Document(out)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert [round(margin.cm, 1) for margin in (section.top_margin, section.bottom_margin,
            section.left_margin, section.right_margin)] == [2.0, 2.0, 1.8, 1.8]  # fmt: skip
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    footer = section.footer
    assert f"Summary report: {SEPTEMBER}, Draft" in footer.paragraphs[0].text
    fields = footer._element.xpath(".//w:fldSimple/@w:instr")
    assert fields == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[1].text.startswith("Page ")
    properties = document.core_properties
    assert properties.title == f"Summary report: {SEPTEMBER}"
    assert properties.author == settings.COUNCIL_NAME
    assert properties.comments == ""  # not "generated by python-docx"
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    for when in (properties.created, properties.modified):
        assert abs(when.replace(tzinfo=None) - now) < datetime.timedelta(minutes=5)


def _word_report(tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="docx", output=str(out))
    return docx.Document(out)


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def test_every_word_style_the_report_uses_is_arial_in_black_and_british_english(seeded, tmp_path):
    """python-docx's template sets headings and the title in the theme's Calibri Light (blue):
    an office suite without Calibri swaps in another face, and the PDF edition is all Arial."""
    document = _word_report(tmp_path)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Arial"
    assert not [name for name in fonts.attrib if name.endswith("Theme") or name.endswith("theme")]
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == "en-GB"  # spelling checks
    paragraphs = [*document.paragraphs]
    for section in document.sections:
        paragraphs += [*section.header.paragraphs, *section.footer.paragraphs]
    paragraphs += [p for table in document.tables for cell in table._cells for p in cell.paragraphs]
    used = {p.style.name: p.style for p in paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Caption", "List Bullet"} <= set(used)
    for name, style in used.items():
        for link in _style_chain(style):
            rpr = link.element.rPr
            fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if fonts is not None:
                assert fonts.get(qn("w:ascii")) == "Arial", (name, link.name)
                assert not any("heme" in key for key in fonts.attrib), (name, link.name)
            assert link.font.color.rgb in (None, RGBColor(0x0B, 0x0C, 0x0C)), (name, link.name)
    assert all(
        used[name].paragraph_format.space_after >= Pt(4) for name in ("Heading 1", "Heading 2")
    )
    runs = document.element.body.iter(qn("w:rFonts"))
    assert {fonts.get(qn("w:ascii")) for fonts in runs} <= {"Arial"}


def test_the_page_numbers_are_the_size_of_the_rest_of_the_footer(seeded, tmp_path):
    footer = _word_report(tmp_path).sections[0].footer._element
    runs = footer.iter(qn("w:r"))  # including the runs inside the PAGE and NUMPAGES fields
    sizes = [run.find(f"{qn('w:rPr')}/{qn('w:sz')}") for run in runs]
    assert [size.get(qn("w:val")) if size is not None else None for size in sizes] == ["18"] * 5


def _longest_word_width(cell):
    """How wide the cell's longest word is in 11 pt Arial, measured with Liberation Sans (the
    PDF's font, made with Arial's letter widths; CI installs it)."""
    bold = any(run.bold for p in cell.paragraphs for run in p.runs)
    # Pillow finds a bare file name among the system's fonts (/usr/share/fonts).
    font = ImageFont.truetype(f"LiberationSans-{'Bold' if bold else 'Regular'}.ttf", 1100)
    longest = max((font.getlength(word) for word in cell.text.split()), default=0)
    return Pt(longest / 100)


def test_word_tables_fit_the_page_and_never_break_a_word_across_lines(seeded, tmp_path):
    """Word's equal columns split "experienced" into "experience / d" in the status column."""
    document = _word_report(tmp_path)
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    margins = Cm(0.19 * 2)  # Word's default cell margins, left and right
    assert len(document.tables) >= 5
    for number, table in enumerate(document.tables):
        grid = [col.w for col in table._tbl.tblGrid.gridCol_lst]
        assert sum(grid) <= text_width + Mm(0.5), number
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed", number
        for row in table.rows:
            for width, cell in zip(grid, row.cells, strict=True):
                assert cell.width == width, (number, cell.text)
                assert _longest_word_width(cell) + margins <= width, (number, cell.text)


def test_word_tables_keep_rows_and_captions_together_like_the_pdf(seeded, tmp_path):
    """A caption left at the foot of a page with its table overleaf, or a row split across two
    pages, is hard to read on paper; the header rows are shaded and the first column bold, as
    the PDF's are."""
    document = _word_report(tmp_path)
    body = document.element.body
    for table in document.tables:
        caption = docx.text.paragraph.Paragraph(table._tbl.getprevious(), document._body)
        assert caption.style.name == "Caption"
        assert caption.style.paragraph_format.keep_with_next
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        if table is document.tables[0]:
            continue  # the document control table has no header row
        shading = table.rows[0].cells[0]._tc.tcPr.find(qn("w:shd"))
        assert shading is not None and shading.get(qn("w:fill")) == "F3F2F1"
        assert all(run.bold for run in table.rows[1].cells[0].paragraphs[0].runs)
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert captions and all(p.style.paragraph_format.space_before >= Pt(6) for p in captions)
    pictures = [p for p in body.iter(qn("w:p")) if p.findall(f".//{qn('w:drawing')}")]
    assert len(pictures) == 3
    assert all(p.pPr is not None and p.pPr.keepNext_val is True for p in pictures)


def test_the_protective_marking_is_a_setting_and_the_wider_edition_is_official(
    seeded, tmp_path, settings
):
    out = tmp_path / "wider.docx"
    call_command("report", cohort=SEPTEMBER, format="docx", output=str(out),
                 wider_circulation=True)  # fmt: skip
    assert docx.Document(out).sections[0].header.paragraphs[0].text == "OFFICIAL"
    settings.PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE PERSONAL"
    call_command("report", cohort=SEPTEMBER, format="docx", output=str(out))
    header = docx.Document(out).sections[0].header.paragraphs[0].text
    assert header == "OFFICIAL-SENSITIVE PERSONAL"


@pytest.mark.pdf
def test_a_published_version_has_a_document_control_table_and_marked_numbered_pages(client, cast):
    from tests.integration.test_summary_reports import create, publish, signed_in

    qa_lead = cast["qa_lead"]
    signed_in(client, qa_lead)
    report = create(client)  # "Summary, September 2024 cohort"
    assert publish(client, report).status_code == 302
    today = f"{datetime.date.today():%-d %B %Y}"
    control = {
        "Title": "Summary, September 2024 cohort",
        "Version": "1",
        "Status": "Published",
        "Date published": today,
        "Author": str(qa_lead),
        "Approved by": str(qa_lead),
        "Edition": "Full report",
        "Period": f"{SEPTEMBER}: reviews from ",
    }
    response = client.get(f"/reports/{report.pk}/versions/1/full.docx")
    document = docx.Document(io.BytesIO(response.content))
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    for what, detail in control.items():
        assert rows[what].startswith(detail), what
    assert document.core_properties.title == "Summary, September 2024 cohort"
    assert document.core_properties.author == str(qa_lead)
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer == "Summary, September 2024 cohort, Version 1"

    for edition, marking in (("full", "OFFICIAL-SENSITIVE"), ("wider-circulation", "OFFICIAL")):
        pdf = read_pdf(client.get(f"/reports/{report.pk}/versions/1/{edition}.pdf").content)
        assert pdf.is_a4 and len(pdf.pages) > 3
        assert pdf.metadata["/Title"].startswith("Summary, September 2024 cohort")
        for number, text in enumerate(pdf.pages, start=1):
            lines = [line.strip() for line in text.splitlines()]
            assert marking in lines, (edition, number)
            assert f"Page {number} of {len(pdf.pages)}" in " ".join(text.split())
            assert "Summary, September 2024 cohort, Version 1" in " ".join(text.split())
        words = pdf.words
        assert "Document control" in words and "Approved by " + str(qa_lead) in words
        edition_name = "Full report" if edition == "full" else "For wider circulation"
        assert f"Edition {edition_name}" in words


def test_chart_labels_show_the_same_whole_percentages_as_the_tables(seeded):
    """July's 12 of 14 is 85.7%: the table says 86%, so the chart's label must too."""
    report = summary_report(find_cohort(SEPTEMBER), compare=find_cohort(JULY))
    gradings = report.sections[2]
    good = next(row for row in gradings.tables[0].rows if row[0] == "Good or better")
    in_table = [re.search(r"\((\d+%)\)", cell)[1] for cell in good[1:]]
    assert "86%" in in_table
    chart = next(chart for chart in gradings.charts if chart.title.startswith("Good or better"))
    svg = render_svg(chart)
    drawn = re.findall(r">\s*(\d+(?:\.\d+)?%?)\s*<", svg)
    labels = [label for label in drawn if label.endswith("%")]
    assert labels == in_table
    assert not [label for label in drawn if "." in label]
    assert chart.alt.count("86%") == in_table.count("86%")


def _text_of(section):
    runs = (run for block in section.narrative for item in block.items for run in item)
    return " ".join([*(run.text for run in runs), *section.paragraphs])


def test_the_demo_meetings_recommendation_is_in_section_5_6_of_its_periods_report(cast):
    """The demo's moderation meeting (12 March 2025, after the September cohort's last review)
    raised a service-level recommendation for no cohort: the September report lists it, July's,
    whose period ended when September's began, does not."""
    from practice_review.site.management.commands.demo import _moderation

    _moderation(cast["qa_lead"])
    raised = "Team managers check religion, first language and interpreter needs"
    september = summary_report(find_cohort(SEPTEMBER), compare=find_cohort(JULY))
    section = september.sections[4].subsections[-1]
    assert section.title == "Service-level recommendations"
    assert raised in _text_of(section)
    july = summary_report(find_cohort(JULY)).sections[4].subsections[-1]
    assert raised not in _text_of(july)
    assert "No service-level recommendations" in _text_of(july)
