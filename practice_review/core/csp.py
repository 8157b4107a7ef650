"""Exceptions to the Content Security Policy (settings.CONTENT_SECURITY_POLICY), kept narrow."""

import base64
import hashlib
import re

STYLE_ELEMENT = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def allow_own_style_elements(response):
    """Allow exactly the <style> elements of this response, by hash.

    The HTML report is a standalone document that must look right when saved or printed, so its
    stylesheet is inline. A hash of each element (computed from the bytes served, so a version
    published under an older template still works) allows those and nothing else; text in a
    report is escaped, so it cannot add a style element of its own.
    """
    hashes = [
        "'sha256-{}'".format(base64.b64encode(hashlib.sha256(css).digest()).decode("ascii"))
        for css in STYLE_ELEMENT.findall(response.content)
    ]
    if hashes:
        response._csp_update = {"style-src": hashes}
    return response
