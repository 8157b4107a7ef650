"""Which pages show case data, and so are recorded in the audit trail when someone opens them.

One table keyed by URL name. Each page in CASE_PAGES says which methods it answers: GET and HEAD
(READ), those and its own form's POST (FORM), or only a POST from a form on another page
(POST_ONLY: it shows the record again when the form has errors). The middleware (middleware.py)
refuses any other method with a 405 before the view runs, and records every answer that shows
the page (middleware.shows_case_data) as `viewed` or `exported`, with the record the URL names;
a list page has a kind and no id. Every other URL name is in NOT_CASE_PAGES, with why, so a new
URL must be put in one or the other (tests/integration/test_audit_trail.py walks the URLconf).
Forms that only accept a POST and always answer with a redirect are there: what they change is
recorded from the record's history (history.py), not from the request.
"""

from dataclasses import dataclass

VIEWED, EXPORTED = "viewed", "exported"

READ = ("GET", "HEAD")
FORM = ("GET", "HEAD", "POST")
POST_ONLY = ("POST",)


@dataclass(frozen=True)
class CasePage:
    action: str  # VIEWED or EXPORTED
    target_type: str  # the kind of record: a model name, or a list's name
    id_from: str = ""  # the URL keyword holding the record's id; none for a list
    format_from: str = ""  # the URL keyword holding an export's format
    format: str = ""  # an export's format when the URL fixes it
    also: tuple = ()  # other URL keywords worth keeping (a report's version, an edition)
    methods: tuple = READ  # what it answers; anything else is refused (405)

    def target_and_details(self, kwargs):
        target_id = str(kwargs.get(self.id_from, "")) if self.id_from else ""
        details = {key: kwargs[key] for key in self.also if key in kwargs}
        if self.action == EXPORTED:
            details["format"] = kwargs.get(self.format_from) if self.format_from else self.format
        return self.target_type, target_id, details


def viewed(target_type, id_from="", also=(), methods=READ):
    return CasePage(VIEWED, target_type, id_from, also=also, methods=methods)


def exported(target_type, id_from="", format_from="", format="", also=()):
    return CasePage(EXPORTED, target_type, id_from, format_from, format, also)


CASE_PAGES = {
    # Lists and overviews that show children's cases or their figures.
    "home": viewed("home"),
    "my_reviews": viewed("my reviews"),
    "alert_list": viewed("alert list"),
    "tracker_list": viewed("recommendation list"),
    "meeting_list": viewed("meeting list"),
    "recurring_findings": viewed("recurring findings"),
    "report_list": viewed("report list"),
    "agreement": viewed("agreement"),
    "coverage": viewed("coverage"),
    # Figures over time and by groups of children (ethnicity, UASC among them), and their
    # downloads (docs/trends.md).
    "trends": viewed("trends"),
    "trends_csv": exported("trends", format="csv"),
    "trends_chart": exported("trends", format="png", also=("chart",)),
    # A cohort, a review and every page of its form (each shows what has been written).
    "cohort_detail": viewed("cohort", "cohort_id"),
    "cohort_add_case": viewed("cohort", "cohort_id", methods=FORM),
    "review_detail": viewed("review", "review_id"),
    "review_respond": viewed("review", "review_id", methods=POST_ONLY),
    "review_tasks": viewed("review", "review_id"),
    "review_section": viewed("review", "review_id", also=("section",), methods=FORM),
    "review_conversations": viewed("review", "review_id", methods=FORM),
    "review_recommendations": viewed("review", "review_id", methods=FORM),
    "review_submit": viewed("review", "review_id", methods=FORM),
    "review_reassign": viewed("review", "review_id", methods=FORM),
    "review_second_reviewer": viewed("review", "review_id", methods=FORM),
    "second_grades": viewed("review", "review_id", methods=FORM),
    "review_reopen": viewed("review", "review_id", methods=FORM),
    "alert_raise": viewed("review", "review_id", methods=FORM),
    "alert_detail": viewed("alert", "alert_id"),
    "alert_close": viewed("alert", "alert_id", methods=POST_ONLY),
    "tracker_detail": viewed("recommendation", "recommendation_id"),
    "tracker_add_update": viewed("recommendation", "recommendation_id", methods=POST_ONLY),
    "tracker_change_status": viewed("recommendation", "recommendation_id", methods=POST_ONLY),
    "tracker_record_impact": viewed("recommendation", "recommendation_id", methods=POST_ONLY),
    "meeting_detail": viewed("meeting", "meeting_id"),
    "meeting_learning": viewed("meeting", "meeting_id", methods=POST_ONLY),
    "meeting_recommendation": viewed("meeting", "meeting_id", methods=POST_ONLY),
    "meeting_decide": viewed("agendareview", "item_id", also=("meeting_id",), methods=FORM),
    "report_detail": viewed("summaryreport", "report_id"),
    "report_preview": viewed("summaryreport", "report_id"),
    "report_publish": viewed("summaryreport", "report_id", methods=POST_ONLY),
    "report_coverage": viewed("summaryreport", "report_id", methods=FORM),
    "report_part": viewed("summaryreport", "report_id", also=("part",), methods=FORM),
    "report_version": viewed("summaryreport", "report_id", also=("number",)),
    # Data protection: finding a child, their page and the legal hold form.
    "child_search": viewed("child search"),
    # Drawing a cohort: the preview lists the children drawn and those left out.
    "sample_draw": viewed("caseload sample", methods=FORM),
    "child_detail": viewed("child", "child_id"),
    "child_legal_hold": viewed("child", "child_id", methods=FORM),
    # Downloads.
    "review_document": exported("review", "review_id", format_from="format"),
    "tracker_export": exported("recommendation list", format_from="file_type"),
    "coverage_export": exported("coverage", format="csv"),
    "report_figures": exported("summaryreport", "report_id", format="json"),
    "report_version_figures": exported(
        "summaryreport", "report_id", format="json", also=("number",)
    ),
    "report_draft_file": exported(
        "summaryreport", "report_id", format_from="format", also=("edition",)
    ),
    "report_version_file": exported(
        "summaryreport", "report_id", format_from="format", also=("number", "edition")
    ),
}

NOT_CASE_PAGES = {
    # Signing in and out, and pages with no case data.
    "login": "signing in is recorded by the accounts app",
    "council_sign_in": "starts signing in; the sign-in is recorded when it comes back",
    "council_sign_in_callback": "signing in with the council's account records its own events",
    "council_sign_in_refused": "says why a sign-in was refused, which the callback recorded",
    "logout": "signing out is recorded by the accounts app",
    "accessibility": "public",
    "health": "public, for load balancers: whether the database answers",
    "cohort_create": "an empty form",
    "import_reviews": "the import is recorded as one event (reviews/importing.py)",
    "import_confirm": "POST only; the import is recorded as one event (reviews/importing.py)",
    "import_cancel": "writes nothing: removes the person's own file held for the import",
    "caseload": "the extracts' file names, dates and counts: no child's case",
    "caseload_import": "the import is recorded as one event (sampling/actions.py)",
    "caseload_import_confirm": "POST only; the import is recorded as one event "
    "(sampling/actions.py)",
    "caseload_import_cancel": "writes nothing: removes the person's own file held for the import",
    "report_create": "an empty form",
    "meeting_create": "an empty form",
    "raise_for_finding": "a form about a finding's wording, no child's case",
    "child_subject_access": "a POST; the export records its own subject_access event",
    "two_factor_verify": "signing in",
    "two_factor_setup": "the person's own account",
    "two_factor_recovery_codes": "the person's own account",
    "session_status": "how long the person's own session has left",
    "session_extend": "POST only: restarts the person's own idle clock",
    # The audit trail itself: looking at who did what is not looking at a child's case.
    "audit_log": "the audit trail, not case data",
    "audit_log_export": "the audit trail, not case data",
    # Accepting only a POST and answering with a redirect: what they change is recorded from
    # history.
    "review_remove_item": "POST only",
    "review_remove_recommendation": "POST only",
    "review_sign_off": "POST only",
    "alert_acknowledge": "POST only",
    "report_part_restore": "POST only",
    "meeting_close": "asks to confirm, about the meeting, not a case; closing is recorded",
    "tracker_sign_off_impact": "POST only",
    # Audit templates: reference data, what reviews ask, never a child's case; each change is
    # recorded from the template's history.
    **{
        name: "an audit template: reference data, no case data"
        for name in (
            "template_list",
            "template_create",
            "template_upload",
            "template_detail",
            "template_download",
            "template_preview",
            "template_copy",
            "template_new_version",
            "template_details",
            "template_publish",
            "template_delete",
            "template_add_item",
            "template_item",
            "template_move_item",
            "template_remove_item",
        )
    },
    # The two-person rule: accounts, not case data; deciding is recorded by the accounts app.
    "account_approvals": "changes to accounts waiting for approval, no case data",
    "account_approval": "a change to an account; the decision is recorded by the accounts app",
}

# Whole namespaces without case data: the Django admin holds accounts and reference data only
# (reviews/admin.py keeps case records out of it).
NOT_CASE_NAMESPACES = {"admin": "accounts and reference data, no case records"}


def case_page(url_name, namespace=""):
    """The CasePage for a resolved URL, or None when opening it is not recorded."""
    if namespace:
        return None
    return CASE_PAGES.get(url_name)
