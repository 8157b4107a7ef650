"""Untrusted input and output: the security rows of docs/spec/quality.md#security about what people
and files send.

- "XSS payloads in every free-text field, rendered on every page, DOCX and PDF": 0 payloads
  execute or appear unescaped (hostile_world.py fills every field; the browser half is
  tests/functional/test_xss_in_browser.py).
- "export cells starting with = + - @ tab CR": every such cell neutralised, in every CSV and
  XLSX the app writes.
- "hypothesis on the import parser (1,000+ examples per property)": 0 unhandled exceptions (most
  properties are in tests/unit/test_review_file.py; random header sets are here).
- "oversize file, wrong type, zip-bomb XLSX, XML entity XLSX, odd encodings, path-like names":
  each refused with a clear message, in bounded memory, nothing written.
"""

import contextlib
import csv
import io
import json
import re
import struct
import tracemalloc
import unicodedata
import zipfile
import zlib
from collections import Counter

import openpyxl
import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test.client import ClientHandler
from django.urls import reverse
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_review.accounts.models import Team
from practice_review.alerts.actions import close_alert, raise_alert
from practice_review.core.spreadsheets import is_formula_like
from practice_review.moderation import actions as moderation_actions
from practice_review.reports import actions as report_actions
from practice_review.reports.builder import narrative_parts
from practice_review.reports.checks import problems_digest
from practice_review.reports.drafts import Draft
from practice_review.reviews import actions
from practice_review.reviews.models import (
    GradeDescriptor,
    GradeDescriptorSet,
    ImportRecord,
    LearningTopic,
    Review,
)
from practice_review.reviews.review_file import ALIASES, COLUMNS, parse_review_file
from practice_review.tracker import actions as tracker_actions
from tests.integration.access_world import DUE, build_world, staff
from tests.integration.helpers import (
    csv_bytes,
    import_at_the_page,
    seed_rows,
    table_counts,
    xlsx_bytes,
)
from tests.integration.hostile_world import (
    KNOWN_FREE_TEXT,
    NARRATIVE,
    PAYLOADS,
    fields_shown,
    fill_every_free_text_field,
    formula_value,
    free_text_fields,
    unescaped_markup,
)
from tests.integration.test_crawl import crawl
from tests.integration.url_access import ACCESS, kwargs_for, may_use, pick
from tests.pdfs import read_pdf
from tests.unit.test_review_file import check_result, row, table_csv

pytestmark = pytest.mark.django_db

ROLES = ["qa_lead", "reviewer_independent", "reviewer_internal", "practitioner", "manager",
         "senior_leader", "admin"]  # fmt: skip


# ---------------------------------------------------------------------------- the hostile world


def _everything_the_world_lacks(cast, world):
    """The kinds of text build_world leaves empty: a learning point, a recommendation raised at
    a meeting, a response, a tracker note, a team, a grade descriptor and a learning topic."""
    qa = cast["qa_lead"]
    meeting = world["open_meeting"]
    moderation_actions.add_learning_point(by=qa, meeting=meeting, text="A learning point.")
    moderation_actions.raise_recommendation(
        by=qa, meeting=meeting, action="Act.", theme="journey", owner=staff("BA"),
        due_date=DUE, success_measure="Seen.",
    )  # fmt: skip
    actions.record_response(review=world["submitted_rl"], by=cast["practitioner"], text="Noted.")
    tracker_actions.add_update(
        recommendation=world["recommendations"]["rl"], text="Progress.", by=cast["practitioner"]
    )
    team = Team.objects.create(name="Leaving care")
    for user in cast.values():
        user.first_name, user.last_name = "First", "Last"
        user.save()
    staff("RL").__class__.objects.filter(name="RL").update(team=team)
    descriptors = GradeDescriptorSet.objects.order_by("-version").first()
    if descriptors is None:
        import datetime

        descriptors = GradeDescriptorSet.objects.create(
            version=1, introduced_on=datetime.date(2024, 1, 1), notes="First set."
        )
    if not descriptors.descriptors.exists():
        GradeDescriptor.objects.create(
            descriptor_set=descriptors, axis="practice", grade="good", text="Good."
        )
    LearningTopic.objects.get_or_create(name="Recording")
    # A closed alert, whose page shows what was done.
    closed = raise_alert(review=world["draft_internal"], concern="Closed concern.",
                         severity="low", must_act=staff("KN"), by=qa)  # fmt: skip
    close_alert(alert=closed, action_taken="Spoke to the manager.", by=qa)


def _publish_again(qa, report):
    """A new published version, made from the hostile text (the first holds the old text)."""
    report.refresh_from_db()
    for part, _ in narrative_parts():
        report = report_actions.save_narrative(
            by=qa, report=report, part=part, text=NARRATIVE, version=report.version
        )
    draft = Draft(report, Review.objects.all())
    return report_actions.publish(
        by=qa, report=report, reviews=Review.objects.all(), version=report.version,
        seen_problems=problems_digest(draft.problems), override_reason=PAYLOADS[0],
    )  # fmt: skip


@pytest.fixture
def hostile(cast):
    """build_world's data with every free-text field holding payloads; {tag: (field, value)}."""
    world = build_world(cast)
    _everything_the_world_lacks(cast, world)
    values = fill_every_free_text_field()
    world["version"] = _publish_again(cast["qa_lead"], world["report"])
    world["values"] = values
    return world


# Fields no page shows in this world (they are still filled, and checked wherever they appear):
NOT_ON_A_PAGE = {
    "ImportRecord.file_name",  # recorded for the audit, not shown
    "GradeDescriptorSet.notes",  # notes for whoever maintains the descriptors
    # Shown only for a template that gives no descriptors of its own, and this world's reviews
    # are on the built-in, which does: test_running_a_review.py shows one escaped.
    "GradeDescriptor.text",
    "Child.ethnicity", "Child.religion", "Child.first_language",  # pages show each review's
    "Cohort.selected_by", "Cohort.theme",  # asked when a cohort is made, not shown after
    "Meeting.notes",  # no page shows it yet
    "Review.conflict_reason",  # shown only in the reassignment form, as it is typed
    "Review.second_rationale",  # shown once the second reviewer has graded (not here)
}  # fmt: skip


DOCUMENTS = (".docx", ".pdf", ".xlsx", ".csv", ".json")
SAME_PAGE_LIMIT = 3


class Recording:
    """A test client for crawl() to drive, keeping every page it is given.

    Documents are checked by their own tests below, not fetched here; and a page shape
    ("/reviews/N/") is fetched for at most SAME_PAGE_LIMIT objects per person, since every
    review holds the same payloads (the URL walk has already visited every pattern).
    """

    def __init__(self, client):
        self.client, self.responses, self.shapes = client, {}, Counter()

    def get(self, url, *args, **kwargs):
        shape = re.sub(r"\d+", "N", url)
        self.shapes[shape] += 1
        if url.split("?")[0].endswith(DOCUMENTS) or self.shapes[shape] > SAME_PAGE_LIMIT:
            return HttpResponse(status=204, content_type="application/octet-stream")
        response = self.client.get(url, *args, **kwargs)
        self.responses[url] = response
        return response


def every_page_as(client, user, also=()):
    """{url: response} for every URL pattern this person may GET, with real ids from the
    access table, the pages `also` names, and every page reached by following the links they
    are shown."""
    client.force_login(user)
    recording = Recording(client)
    for url in also:
        recording.get(url)
    for name, access in ACCESS.items():
        if access.post_only or not may_use(access, user.role):
            continue
        kwargs = dict(access.extra)
        if access.object:
            acting, in_scope, _ = pick(access, user)
            if not (acting or in_scope):
                continue
            kwargs = kwargs_for(access, acting or in_scope)
        recording.get(reverse(name, kwargs=kwargs))
    crawl(recording)
    return recording.responses


# ---------------------------------------------------------------------------- XSS: pages


def test_the_enumeration_finds_every_known_free_text_field():
    """docs/spec/quality.md#output-encoding, XSS row: the fields are found, not listed, and the
    known ones are found."""
    found = {f"{model.__name__}.{field.name}" for model, field in free_text_fields()}
    assert len(found) > 60
    assert KNOWN_FREE_TEXT - found == set()
    assert not any(name.startswith("AuditEvent.") for name in found)


def test_no_payload_in_any_free_text_field_reaches_any_page_unescaped(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row: every page each person may see, with a payload
    in every free-text field, shows the payloads as text: never as markup, a script link or an
    evaluated template."""
    values = hostile["values"]
    unescaped, raw, shown, pages = [], [], set(), 0
    # Pages that show text few others do: an impact check, a closed meeting.
    also = [
        reverse("tracker_detail", args=[hostile["to_sign_off"].pk]),
        reverse("meeting_detail", args=[hostile["closed_meeting"].pk]),
    ]
    for person in ROLES:
        for url, response in every_page_as(client, cast[person], also).items():
            if "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            html = response.content.decode()
            unescaped += [(person, url, markup) for markup in unescaped_markup(html)]
            page_shown, page_raw = fields_shown(html, values)
            shown |= page_shown
            raw += [(person, url, *found) for found in page_raw]
    assert unescaped == []
    assert raw == []
    assert pages > 100
    # The payloads were really on the pages: each field a person reads was shown, escaped.
    expected_shown = KNOWN_FREE_TEXT - NOT_ON_A_PAGE
    missing = sorted(expected_shown - shown)
    assert not missing, f"never shown escaped: {missing}; shown: {sorted(shown)}"


def test_template_syntax_in_text_is_shown_never_evaluated(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row: "{{ 7*7 }}" and "{% debug %}" typed into a
    field stay as typed."""
    client.force_login(cast["qa_lead"])
    review = hostile["draft_independent"]
    html = client.get(reverse("review_detail", args=[review.pk])).content.decode()
    # Evaluated, they would be "49" and a dump of the template's context.
    assert "{{ 7*7 }}" in html
    assert "{% debug %}" in html


def test_the_report_narrative_shows_links_and_html_as_text(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row: Markdown and HTML links in the narrative
    become text, never links; raw HTML in it is shown as text."""
    client.force_login(cast["qa_lead"])
    report, number = hostile["report"], hostile["version"].number
    for url in [
        reverse("report_detail", args=[report.pk]),
        reverse("report_version", args=[report.pk, number]),
        reverse("report_draft_file", args=[report.pk, "full", "html"]),
        reverse("report_version_file", args=[report.pk, number, "wider-circulation", "html"]),
    ]:
        html = client.get(url).content.decode()
        assert unescaped_markup(html) == [], url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        # The Markdown parser refuses javascript: links, so the link stays as it was typed.
        assert "[click me](javascript:alert(1))" in html, url


# ---------------------------------------------------------------------------- XSS: documents


def _docx_text_and_xml(content):
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
               if name.endswith((".xml", ".rels"))}  # fmt: skip
    return "\n".join(parts), xml


def _assert_inert_docx(content):
    text, xml = _docx_text_and_xml(content)
    # The payloads are there, as literal text ...
    assert "<script>alert(1)</script>" in text
    # ... and nothing in the package is a link, a field code or an embedded object, but for the
    # footer's page numbers (fixed fields of ours: no text anyone typed is a field).
    for name, part in xml.items():
        assert "<w:hyperlink" not in part, name
        fields = re.findall(r'<w:fldSimple w:instr="([^"]*)"', part)
        assert set(fields) <= {"PAGE", "NUMPAGES"}, name
        assert part.count("w:fldSimple") == 2 * len(fields), name  # none written another way
        assert "w:instrText" not in part, name
        assert 'TargetMode="External"' not in part, name
        assert "<script" not in part, name
    return text


def test_review_documents_hold_payloads_as_plain_text(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row (DOCX): a review document shows every payload
    as literal text and has no hyperlink, field or external relationship."""
    client.force_login(cast["qa_lead"])
    review = hostile["draft_independent"]
    response = client.get(reverse("review_document", args=[review.pk, "docx"]))
    assert response.status_code == 200
    text = _assert_inert_docx(response.content)
    assert "[x](javascript:alert(1))" in text
    assert "{{ 7*7 }}" in text


def test_report_documents_hold_payloads_as_plain_text(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row (DOCX): both editions of the draft and the
    published report show the narrative's payloads as literal text, a javascript: link as it was
    typed."""
    client.force_login(cast["qa_lead"])
    report, number = hostile["report"], hostile["version"].number
    for url in [
        reverse("report_draft_file", args=[report.pk, "full", "docx"]),
        reverse("report_draft_file", args=[report.pk, "wider-circulation", "docx"]),
        reverse("report_version_file", args=[report.pk, number, "full", "docx"]),
        reverse("report_version_file", args=[report.pk, number, "wider-circulation", "docx"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _assert_inert_docx(response.content)
        assert "[click me](javascript:alert(1))" in text


def _pdf_objects(content):
    """The PDF's bytes with every Flate stream inflated: WeasyPrint keeps links and actions in
    compressed object streams, where a search of the raw file would never find them."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        with contextlib.suppress(zlib.error):  # not Flate (an image): holds no actions
            parts.append(zlib.decompress(match[1]))
    return b"\n".join(parts)


def _pdf_checks(content):
    """(the text pypdf reads, the script actions and javascript: links the PDF holds)."""
    text = read_pdf(content).text
    objects = _pdf_objects(content)
    active = [marker for marker in (b"/JavaScript", b"/JS ", b"/JS(", b"/URI (javascript:")
              if marker in objects]  # fmt: skip
    return text, active


@pytest.mark.pdf
def test_the_pdf_check_finds_a_javascript_link_when_there_is_one():
    """The PDF check below is not vacuous: it finds a javascript: link WeasyPrint wrote."""
    import weasyprint

    html = '<p><a href="javascript:alert(1)">x</a></p>'
    content = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert b"/URI (javascript:" in _pdf_objects(content)


@pytest.mark.pdf
def test_pdfs_hold_payloads_as_text_without_script_or_links(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row (PDF): review and report PDFs show the payloads
    as text and hold no JavaScript and no javascript: link."""
    client.force_login(cast["qa_lead"])
    report, number = hostile["report"], hostile["version"].number
    urls = [
        reverse("review_document", args=[hostile["draft_independent"].pk, "pdf"]),
        reverse("report_draft_file", args=[report.pk, "full", "pdf"]),
        reverse("report_version_file", args=[report.pk, number, "wider-circulation", "pdf"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text, active = _pdf_checks(response.content)
        assert active == [], url
        assert "<script>alert(1)</script>" in re.sub(r"\s+", "", text), url


# ---------------------------------------------------------------------------- JSON


def test_json_exports_are_json_never_a_page(client, cast, hostile):
    """docs/spec/quality.md#output-encoding, XSS row: the figures are served as application/json, as
    a download, with nosniff, so a browser never renders them as HTML."""
    client.force_login(cast["qa_lead"])
    report, number = hostile["report"], hostile["version"].number
    for url in [
        reverse("report_figures", args=[report.pk]),
        reverse("report_version_figures", args=[report.pk, number]),
    ]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/json"), url
        assert response["Content-Disposition"].startswith("attachment"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        json.loads(response.content)


# ---------------------------------------------------------------------------- exports


def neutralised(text):
    """A cell a spreadsheet will not read as a formula."""
    return not is_formula_like(text) or text.startswith("'")


def _dangerous(text):
    folded = unicodedata.normalize("NFKC", text).lstrip()
    return folded[:1] in ("=", "+", "-", "@") or text[:1] in ("\t", "\r", "\n")


def _csv_cells(content):
    text = content.decode("utf-8-sig")
    return [cell for record in csv.reader(io.StringIO(text, newline="")) for cell in record]


@pytest.fixture
def formulas(cast):
    world = build_world(cast)
    _everything_the_world_lacks(cast, world)
    fill_every_free_text_field(make=formula_value)
    return world


def test_every_tracker_csv_and_xlsx_cell_is_neutralised(client, cast, formulas):
    """docs/spec/quality.md#formula-injection: with a formula at the start of every free-text field,
    no cell of the tracker's CSV or XLSX can be read as a formula."""
    client.force_login(cast["qa_lead"])
    cells = _csv_cells(client.get(reverse("tracker_export", args=["csv"])).content)
    risky = [cell for cell in cells if _dangerous(cell.lstrip("'"))]
    assert len(risky) >= 10  # the formulas really reached the export
    assert [cell for cell in cells if not neutralised(cell)] == []

    response = client.get(reverse("tracker_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    all_cells = [cell for cells in sheet.iter_rows() for cell in cells if cell.value is not None]
    risky = [cell for cell in all_cells if _dangerous(str(cell.value))]
    assert len(risky) >= 10
    assert [cell.coordinate for cell in all_cells if cell.data_type == "f"] == []
    assert [cell.coordinate for cell in risky if not cell.quotePrefix] == []


def test_every_audit_trail_csv_cell_is_neutralised(client, cast, formulas):
    """docs/spec/quality.md#formula-injection: usernames and other text in the audit trail's CSV
    export are neutralised like the tracker's (one function: core/spreadsheets.py
    neutralise_csv_cell)."""
    client.force_login(cast["qa_lead"])  # signed in with a formula for a username
    client.get(reverse("review_detail", args=[formulas["draft_independent"].pk]))
    response = client.get(reverse("audit_log_export"))
    cells = _csv_cells(b"".join(response.streaming_content))
    assert any(_dangerous(cell.lstrip("'")) for cell in cells)
    assert [cell for cell in cells if not neutralised(cell)] == []


def test_every_csv_and_xlsx_writer_uses_the_one_neutraliser():
    """docs/spec/quality.md#formula-injection: every module that writes CSV or XLSX goes through
    core/spreadsheets.py, so no new export can forget the neutraliser."""
    from pathlib import Path

    import practice_review

    writers = []
    for path in Path(practice_review.__file__).parent.rglob("*.py"):
        source = path.read_text()
        if re.search(r"csv\.(writer|DictWriter)\(|openpyxl\.Workbook\(|\.cell\(", source):
            writers.append((path.name, "neutralise_csv_cell" in source or "write_text_cell"
                            in source))  # fmt: skip
    assert writers
    assert [name for name, uses in writers if not uses] == []


# ---------------------------------------------------------------------------- uploads


def _post_file(client, data, name):
    """The upload and, for a file that passes, its confirmation at the check page."""
    return import_at_the_page(client, data, name)


def _refusal(response):
    """The page's error messages (summary and field) as one string."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    return re.sub(r"\s+", " ", html)


class _StreamedMultipart(io.RawIOBase):
    """A multipart upload of `size` bytes, generated as it is read: the test holds none of it."""

    BOUNDARY = "BoUnDaRy"

    def __init__(self, size, csrf=""):
        self.head = (
            f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        self.tail = f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self.size, self.position = size, 0
        self.length = len(self.head) + size + len(self.tail)
        self.filler = b"a,b,c\r\n" * 9362  # 64 KB of CSV

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.position >= self.length:
            return 0
        start, want = self.position, len(buffer)
        head, body_end = len(self.head), len(self.head) + self.size
        if start < head:
            piece = self.head[start : start + want]
        elif start < body_end:
            offset = (start - head) % len(self.filler)
            piece = self.filler[offset : offset + min(want, body_end - start)]
        else:
            piece = self.tail[start - body_end : start - body_end + want]
        buffer[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)


class CountingHandler(FileUploadHandler):
    """Stands where Django's own handlers do: counts the bytes that would be stored."""

    stored = []

    def receive_data_chunk(self, raw_data, start):
        self.stored.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_oversize_upload_is_refused_without_being_kept(client, cast, settings):
    """docs/spec/quality.md#safe-uploads: a file over the limit is refused with the limit in the
    message, while memory stays far below the file's size and nothing past the limit is stored."""
    settings.IMPORT_MAX_BYTES = 2 * 1024 * 1024
    first, *django_handlers = settings.FILE_UPLOAD_HANDLERS
    spy = f"{__name__}.CountingHandler"
    settings.FILE_UPLOAD_HANDLERS = [first, spy, *django_handlers]
    CountingHandler.stored.clear()
    size = 40 * 1024 * 1024  # twenty times the limit
    client.force_login(cast["qa_lead"])
    before = table_counts()
    stream = _StreamedMultipart(size)
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": reverse("import_reviews"), "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(stream, 64 * 1024),
        "CONTENT_TYPE": f"multipart/form-data; boundary={_StreamedMultipart.BOUNDARY}",
        "CONTENT_LENGTH": str(stream.length),
        "HTTP_COOKIE": client.cookies.output(header="", sep=";").strip(),
    }  # fmt: skip
    tracemalloc.start()
    try:
        response = ClientHandler(enforce_csrf_checks=False)(environ)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stream.position == stream.length  # the whole upload was sent
    page = _refusal(response)
    assert "The selected file must be smaller than 2 MB" in page
    assert peak < size / 8, f"peak {peak:,} bytes for a {size:,}-byte upload"
    # Django's handlers (memory or a temporary file) were given no more than the limit.
    assert 0 < sum(CountingHandler.stored) <= settings.IMPORT_MAX_BYTES
    assert table_counts() == before
    print(f"oversize upload: {size:,} bytes sent, peak traced memory {peak:,} bytes")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "reviews.csv", "looks like a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "reviews.xlsx", "looks like a PNG image"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "reviews.csv", "looks like a Windows program"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "reviews.xlsx",
         "Excel 97-2003 file or a workbook with a password"),
        (b"MZ\x90\x00", "setup.exe", "The selected file must be a CSV or XLSX file"),
        (b"", "reviews.csv", "The selected file is empty"),
        ("cohort,initials\r\nA,B\r\n".encode("utf-16"), "reviews.csv", "this one is UTF-16"),
    ],
    ids=["pdf-as-csv", "png-as-xlsx", "exe-as-csv", "xls-as-xlsx", "exe", "empty", "utf-16"],
)  # fmt: skip
def test_a_file_of_the_wrong_type_is_refused_saying_what_it_is(client, cast, data, name, message):
    """docs/spec/quality.md#safe-uploads (wrong type, odd encodings): refused with a message that
    names what is wrong; nothing written."""
    client.force_login(cast["qa_lead"])
    before = table_counts()
    assert message in _refusal(_post_file(client, data, name)).replace("&quot;", '"')
    assert table_counts() == before


def _xlsx_with_sheet(transform):
    """A one-row review workbook whose first worksheet's XML is changed by `transform`."""
    source = xlsx_bytes([seed_rows()[0]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            dst.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


LAUGHS = b"".join(
    [b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">']
    + [b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10)]
    + [b"]>"]
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _declaring(prologue, entity):
    def transform(content):
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", content)
        return prologue + re.sub(rb"<t>([^<]*)</t>", b"<t>&" + entity + b";</t>", body, count=1)

    return transform


def _post_measured(client, data, name):
    """The upload's response and the peak memory Python traced while it was handled."""
    tracemalloc.start()
    try:
        response = _post_file(client, data, name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak


@pytest.mark.parametrize(
    "data",
    [_xlsx_with_sheet(_declaring(LAUGHS, b"l9")), _xlsx_with_sheet(_declaring(EXTERNAL, b"x"))],
    ids=["billion-laughs", "external-entity"],
)
def test_an_xlsx_declaring_xml_entities_is_refused_unexpanded(client, cast, data):
    """docs/spec/quality.md#safe-uploads (XML entity XLSX): refused before any entity is expanded or
    any file read, in bounded memory, with a message that says why."""
    client.force_login(cast["qa_lead"])
    before = table_counts()
    response, peak = _post_measured(client, data, "reviews.xlsx")
    page = _refusal(response)
    assert "declares XML entities" in page
    assert "root:" not in page  # /etc/passwd was never read into a message
    assert peak < 20 * 1024 * 1024  # a billion laughs would be gigabytes
    assert table_counts() == before


def _zip(entries):
    """A zip archive written by hand from (name, deflated bytes, CRC, stated size) entries, so
    a test can state sizes that are not true."""
    body, directory = b"", b""
    for name, compressed, crc, size in entries:
        name = name.encode()
        fields = (crc, len(compressed), size, len(name))
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, *fields,
                                 0, 0, 0, 0, 0, len(body)) + name  # fmt: skip
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, *fields, 0) + name
        body += compressed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(directory), len(body), 0)  # fmt: skip
    return body + directory + end


def _deflated(content):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush(), zlib.crc32(content)


def _zip_bomb(lie=False):
    """A real review workbook whose sheet unpacks to 1 GB of zeros from about 1 MB; with
    `lie`, the archive says the sheet unpacks to 1 KB.

    The gigabyte is never made (deflating it would take the test seconds): a megabyte of
    zeros deflated once and flushed, so the same bytes can be repeated, then a final block."""
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_bytes([seed_rows()[0]])))
    entries = [
        (name, *_deflated(workbook.read(name)), workbook.getinfo(name).file_size)
        for name in workbook.namelist()
        if name != "xl/worksheets/sheet1.xml"
    ]
    megabyte, count = b"\x00" * (1024 * 1024), 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(megabyte, crc)
    size = 1024 if lie else len(megabyte) * count
    bomb = ("xl/worksheets/sheet1.xml", block * count + compressor.flush(), crc, size)
    return _zip([*entries, bomb])


@pytest.mark.parametrize("lie", [False, True], ids=["honest-sizes", "lying-sizes"])
def test_a_zip_bomb_xlsx_is_refused_in_bounded_memory(client, cast, lie):
    """docs/spec/quality.md#safe-uploads (zip bomb): a small file that unpacks to a gigabyte is
    refused before it is unpacked; one whose directory lies about its sizes is never unpacked past
    them."""
    data = _zip_bomb(lie)
    assert len(data) < 2 * 1024 * 1024
    client.force_login(cast["qa_lead"])
    before = table_counts()
    response, peak = _post_measured(client, data, "reviews.xlsx")
    page = _refusal(response)
    if lie:  # never unpacked past the 1 KB it states: the sheet fails its checksum
        assert "damaged or not a workbook: BadZipFile" in page
    else:
        assert "XLSX file of ordinary size" in page
    assert peak < 50 * 1024 * 1024, f"peak {peak:,} bytes"
    assert table_counts() == before
    print(f"zip bomb ({'lying' if lie else 'honest'}): {len(data):,} bytes, peak {peak:,} bytes")


def _wide_xlsx(rows):
    """A workbook with a cell in column A and one in column XFD, the last there is, on each row:
    about 12 bytes a row as a file, 16,384 cells a row to a reader that pads each row to its
    last cell."""
    workbook = openpyxl.Workbook()
    for number in range(1, rows + 1):
        workbook.active.cell(number, 1, "cohort")
        workbook.active.cell(number, 16_384, "x")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_wide_xlsx_is_refused_in_bounded_memory(client, cast):
    """docs/spec/quality.md#safe-uploads (wide XLSX): a small file with cells in columns A and XFD
    on every row is refused at its first row, saying which column, without reading 16,384 cells
    a row (1,000 rows took 140 MB and a second to read before there was a cap on columns)."""
    data = _wide_xlsx(1_000)
    assert len(data) < 20_000
    client.force_login(cast["qa_lead"])
    before = table_counts()
    response, peak = _post_measured(client, data, "reviews.xlsx")
    page = _refusal(response)
    assert "a review file of at most 200 columns (row 1 has a cell in column XFD" in page
    assert peak < 20 * 1024 * 1024, f"peak {peak:,} bytes"
    assert table_counts() == before
    print(f"wide xlsx: {len(data):,} bytes, peak {peak:,} bytes")


@pytest.mark.parametrize(
    ("encode", "accepted"),
    [
        (lambda text: text.encode("utf-8"), True),
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), True),
        (lambda text: text.encode("cp1252"), True),
        (lambda text: text.replace("\r\n", "\n").encode("utf-8"), True),
        (lambda text: text.replace("\r\n", "\r").encode("utf-8"), True),
        (lambda text: text.replace("\r\n", "\n", 1).encode("utf-8"), True),  # mixed endings
        (lambda text: text.encode("utf-8").replace(b"Zo\xc3\xab", b"Zo\xc3\x28\x81"), False),
        (lambda text: text.encode("utf-8") + b"\x00", False),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252", "lf", "cr", "mixed", "invalid-utf-8", "nul"],
)
def test_odd_encodings_are_read_or_refused_clearly(client, cast, encode, accepted):
    """docs/spec/quality.md#safe-uploads (odd encodings): UTF-8 with or without a byte order mark,
    Windows-1252 and any line endings are read, Latin-1 letters kept; invalid bytes and NUL
    bytes are refused with a message naming the encoding; nothing is half-written."""
    rows = seed_rows()[:3]
    rows[0]["ethnicity"] = "Zoë’s café"  # Latin-1 and Windows-1252 letters
    text = csv_bytes(rows).decode()
    client.force_login(cast["qa_lead"])
    before = table_counts()
    response = _post_file(client, encode(text), "reviews.csv")
    if accepted:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Review.objects.filter(ethnicity="Zoë’s café").count() == 1
    else:
        page = _refusal(response)
        assert "UTF-8 or Windows-1252" in page or "NUL bytes" in page
        assert table_counts() == before


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\x\\y.csv", "y.csv"),
        ("/etc/cron.d/reviews.csv", "reviews.csv"),
        ("re\x00views.csv", "reviews.csv"),
        ("a" * 1000 + ".csv", ("a" * 1000 + ".csv")[-255:]),
    ],
    ids=["dot-dot", "windows-path", "absolute", "nul", "very-long"],
)
def test_a_path_like_file_name_is_only_ever_a_name(client, cast, name, kept, tmp_path, settings):
    """docs/spec/quality.md#safe-uploads (path-like names): the upload's name is reduced to its last
    part and recorded as text; nothing is written anywhere on disk under it."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client.force_login(cast["qa_lead"])
    response = _post_file(client, csv_bytes(seed_rows()[:2]), name)
    assert response.status_code == 302
    assert ImportRecord.objects.latest("id").file_name == kept
    assert list(tmp_path.iterdir()) == []  # small uploads stay in memory; none kept by name


def test_the_file_name_is_never_a_path_in_the_code():
    """docs/spec/quality.md#safe-uploads: the import code never opens, saves or joins the uploaded
    name into a path (it is recorded and shown only)."""
    from pathlib import Path

    import practice_review

    root = Path(practice_review.__file__).parent
    for path in [root / "reviews" / "views.py", root / "reviews" / "importing.py",
                 root / "reviews" / "review_file.py", root / "reviews" / "forms.py"]:  # fmt: skip
        source = path.read_text()
        assert not re.search(r"open\(|\.save\(\s*upload|default_storage|os\.path\.join", source), (
            path.name
        )


def test_the_command_refuses_an_oversize_file_without_reading_it_whole(actor, tmp_path, settings):
    """docs/spec/quality.md#safe-uploads (command line): `import-reviews` reads at most one byte
    past the limit, so a huge file (or /dev/zero) is refused quickly and in bounded memory."""
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    before = table_counts()
    tracemalloc.start()
    try:
        with pytest.raises(CommandError, match="larger than the 1,048,576-byte limit"):
            call_command("import_reviews", "/dev/zero")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024
    assert table_counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n", "looks like a PDF"),
        ("cohort\r\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_the_command_names_what_is_wrong_with_a_file(actor, tmp_path, capsys, data, message):
    """docs/spec/quality.md#safe-uploads (command line): the same clear messages as the web page."""
    path = tmp_path / "reviews.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_reviews", str(path))
    assert message in capsys.readouterr().err


# ---------------------------------------------------------------------------- hypothesis


KNOWN_HEADINGS = [*COLUMNS, *ALIASES]


def _as_people_type(heading):
    return st.sampled_from([heading, heading.upper(), heading.replace("_", " "),
                            f" {heading.title()} ", heading.replace("_", "-")])  # fmt: skip


HEADER_SETS = st.lists(
    st.one_of(st.sampled_from(KNOWN_HEADINGS).flatmap(_as_people_type), st.text(max_size=30)),
    max_size=len(COLUMNS) + 10,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headings=HEADER_SETS, cells=st.lists(st.text(max_size=20), max_size=80))
def test_any_set_of_headers_gives_rows_or_clean_problems(headings, cells):
    """docs/spec/quality.md#import-parser, hypothesis row: any header row (known columns in any
    order, spelling and number, repeats and junk) over any cells parses or gives problems; never an
    exception."""
    data = table_csv([headings, cells])
    check_result(parse_review_file(data, "reviews.csv"))
    check_result(parse_review_file(data, "reviews.csv", default_cohort="Autumn 2024"))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(list(row())), drop=st.sets(st.sampled_from(list(row()))))
def test_a_good_row_under_any_column_order_parses_the_same(order, drop):
    """docs/spec/quality.md#import-parser, hypothesis row: the same review under its columns in any
    order parses the same; with columns dropped it gives problems for exactly the required ones."""
    good = row()
    kept = [column for column in order if column not in drop]
    data = table_csv([kept, [good[column] for column in kept]])
    result = parse_review_file(data, "reviews.csv")
    check_result(result)
    if not drop:
        assert result.rows and result.rows[0].initials == "AS-S"
