"""The summary report as files: DOCX reopened with python-docx, HTML, PDF read back."""

import shutil
import subprocess

import docx
import pytest
from django.core.management import call_command

from practice_review.reports.renderers import RENDERERS
from practice_review.reports.summary import summary_report
from practice_review.reviews.queries import find_cohort
from tests.conftest import JULY, SEPTEMBER

pytestmark = pytest.mark.django_db


def test_the_docx_has_word_headings_numbered_sections_and_header_rows(seeded, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="docx", output=str(out))
    document = docx.Document(out)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[:3] == [
        "1. Introduction and methodology",
        "2. Overview of the cohort",
        "3. Overall gradings and summary of findings",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Independent reviewers completed 8 of 10 (80%)" in text
    cohort_table = document.tables[0]
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
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    out = tmp_path / "report.pdf"
    call_command("report", cohort=SEPTEMBER, compare=JULY, format="pdf", output=str(out))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Page 1 of" in text
    assert "Independent reviewers completed 8 of 10 (80%)" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    assert "Tagged:          yes" in info.stdout


def test_a_review_downloads_as_a_word_document_for_the_case_file(client, cast):
    from practice_review.reviews.models import Review

    review = Review.objects.get(child__case_ref="C1006")  # MW: RL is not the worker, BA supervises
    client.force_login(cast["manager"])
    response = client.get(f"/reviews/{review.id}/document.docx")
    assert response.status_code == 200
    assert "MW" not in response["Content-Disposition"]  # the reference only, never initials
    import io

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
def test_a_review_downloads_as_a_tagged_pdf(client, cast, tmp_path):
    from practice_review.reviews.models import Review

    review = Review.objects.get(child__case_ref="C1006")
    client.force_login(cast["qa_lead"])
    response = client.get(f"/reviews/{review.id}/document.pdf")
    assert response["Content-Type"] == "application/pdf"
    out = tmp_path / "review.pdf"
    out.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "Practice and Impact Review" in text and "Religion not recorded" in text


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
