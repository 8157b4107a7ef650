import importlib
import re

from practice_review.reports.renderers.html import HtmlRenderer

# The Debian package that holds each library WeasyPrint loads when it is imported, most specific
# name first ("pangoft2" before "pango"). A server without one cannot make PDFs, but Word and the
# web page still work, so the person asking is told which package to ask for, never shown a 500.
DEBIAN_PACKAGES = [
    ("pangoft2", "libpangoft2-1.0-0"),
    ("pango", "libpango-1.0-0"),
    ("gobject", "libglib2.0-0"),
    ("harfbuzz", "libharfbuzz0b"),
    ("fontconfig", "libfontconfig1"),
]
PDF_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0"]


class MissingSystemLibrary(Exception):
    """This server lacks a system library that PDF output needs; `packages` names the Debian
    packages to install."""

    def __init__(self, packages, detail=""):
        super().__init__(f"PDF output needs the Debian package(s) {' '.join(packages)}")
        self.packages = packages
        self.detail = detail


def packages_for(error):
    """The Debian packages to install, from the error WeasyPrint's import raised."""
    library = re.search(r"cannot load library '([^']+)'", str(error))
    if library:
        for name, package in DEBIAN_PACKAGES:
            if name in library[1]:
                return [package]
    return PDF_PACKAGES


def load_weasyprint():
    # Imported when first needed: WeasyPrint loads Pango when it is imported, and only PDF
    # output needs it. The import fails with OSError when a library is missing (cffi's dlopen).
    try:
        return importlib.import_module("weasyprint")
    except OSError as error:
        raise MissingSystemLibrary(packages_for(error), str(error)) from error


class PdfRenderer:
    format = "pdf"
    content_type = "application/pdf"

    def render(self, report):
        """A4, page numbers, tagged for accessibility (PDF/UA), from the same HTML."""
        weasyprint = load_weasyprint()
        html = HtmlRenderer().render(report, for_print=True).decode("utf-8")
        document = weasyprint.HTML(string=html)
        return document.write_pdf(pdf_variant="pdf/ua-1")
