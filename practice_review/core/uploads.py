"""Uploads stop being kept once they pass the import limit (docs/spec/quality.md#safe-uploads).

Django streams an upload to memory (small files) or a temporary file (large ones), and would
keep the whole of it however big it is. This handler sits first in FILE_UPLOAD_HANDLERS: it
passes each chunk on only while the file is within IMPORT_MAX_BYTES, then counts the rest
without keeping it. The form sees an empty upload of the true size and refuses it with its usual
message ("must be smaller than ..."), so a 1 GB upload costs a 64 KB buffer, not a 1 GB file.

The file name is only ever text: Django keeps just its last path component, and the app never
uses it as a path (it is shown and recorded, nothing more).

An upload can also be held while the person checks what it will do and confirms
(`hold_upload`, `claim_held_upload`, `discard_held_upload`): the bytes go to a file of their own
in HELD_UPLOADS_DIR (owner-only, named by a random key, never by the upload's name), and the
person is given a signed token naming it, bound to them and good for 30 minutes. Claiming the
file removes it, so a token works once: a second Confirm, a replayed token or someone else's
finds nothing to import.
"""

import datetime
import hashlib
import io
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(UploadedFile):
    """An upload that was too big: its name and size are known, its content was never kept."""

    def __init__(self, name, size, content_type, charset):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class StopKeepingOversizeUploads(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_BYTES:
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.IMPORT_MAX_BYTES:
            return None  # an ordinary upload: the next handler makes the file
        # The next handlers hold the part before the limit (a temporary file, or memory):
        # closing it deletes it now rather than whenever it is garbage collected.
        for handler in self.request.upload_handlers if self.request else []:
            kept = getattr(handler, "file", None)
            if handler is not self and kept is not None:
                kept.close()
        return OversizeUpload(self.file_name, self.received, self.content_type, self.charset)


# As long as a signed-in person may be idle (settings.SESSION_IDLE_TIMEOUT): a check left longer
# would have signed them out anyway.
HELD_FOR = datetime.timedelta(minutes=30)
_SALT = "practice_review.core.uploads.held"
_KEY = re.compile(r"[0-9a-f]{64}")

NOT_VALID = "This import could not be confirmed. Upload the file again."
EXPIRED = "This import was not confirmed within 30 minutes. Upload the file again."
SOMEONE_ELSES = "This file was uploaded by someone else. Upload the file yourself to import it."
GONE = "This file has already been imported or cancelled. Upload it again to import it."


class HeldUploadRefused(Exception):
    """A held upload that cannot be used; the message says what the person can do."""


@dataclass(frozen=True)
class HeldUpload:
    data: bytes
    details: dict  # what the uploader chose with the file (its name, a cohort...), as held


def _folder():
    folder = Path(settings.HELD_UPLOADS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def hold_upload(data, *, user_id, kind, details):
    """Keep `data` for the person `user_id` until they confirm or cancel; returns the token.
    `kind` names the import it is held for ("review_file", "caseload_extract"): only that
    import's confirmation takes it, so a token cannot carry a file into another import."""
    discard_expired_uploads()
    key = secrets.token_hex(32)
    descriptor = os.open(_folder() / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    payload = {"key": key, "user": user_id, "kind": kind, "sha256": _sha256(data),
               "details": details}  # fmt: skip
    return signing.dumps(payload, salt=_SALT, compress=True)


def _read_token(token, user_id):
    try:
        payload = signing.loads(token, salt=_SALT, max_age=HELD_FOR)
    except signing.SignatureExpired:
        raise HeldUploadRefused(EXPIRED) from None
    except (signing.BadSignature, ValueError):
        raise HeldUploadRefused(NOT_VALID) from None
    if not isinstance(payload, dict) or not _KEY.fullmatch(str(payload.get("key", ""))):
        raise HeldUploadRefused(NOT_VALID)
    if payload.get("user") != user_id:
        raise HeldUploadRefused(SOMEONE_ELSES)
    return payload


def claim_held_upload(token, *, user_id, kind):
    """The held upload, taken to be imported now as a `kind` of import: it is gone from the
    folder once claimed.

    Raises HeldUploadRefused for a token that was changed, has expired, names someone else or
    another kind of import, or whose file was claimed or discarded already.
    """
    discard_expired_uploads()
    payload = _read_token(token, user_id)
    if payload.get("kind") != kind:
        raise HeldUploadRefused(NOT_VALID)  # held for another import: left for that one
    held = _folder() / payload["key"]
    claimed = held.with_name(f"{held.name}.claimed")
    try:
        # A rename is atomic: of two confirmations at once (a double click), one gets the file.
        held.rename(claimed)
    except FileNotFoundError:
        raise HeldUploadRefused(GONE) from None
    try:
        data = claimed.read_bytes()
    finally:
        claimed.unlink(missing_ok=True)
    if _sha256(data) != payload["sha256"]:
        raise HeldUploadRefused(NOT_VALID)
    return HeldUpload(data, payload["details"])


def discard_held_upload(token, *, user_id):
    """Remove the person's held upload (a cancel, or a new upload in its place), if still there.
    A token that is not theirs, or not valid, removes nothing."""
    try:
        payload = _read_token(token, user_id)
    except HeldUploadRefused:
        return
    (_folder() / payload["key"]).unlink(missing_ok=True)


def forget_held_upload(session, session_key, *, user_id):
    """Remove the held upload whose token the person's session keeps under `session_key` (a
    cancel, or a new upload in its place), and the token with it."""
    token = session.pop(session_key, None)
    if token:
        discard_held_upload(token, user_id=user_id)


def discard_expired_uploads():
    """Remove held uploads older than HELD_FOR: nobody can confirm them any more."""
    folder = Path(settings.HELD_UPLOADS_DIR)
    if not folder.is_dir():
        return
    oldest = time.time() - HELD_FOR.total_seconds()
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < oldest:
                path.unlink()
        except FileNotFoundError:
            pass  # claimed or removed by another request meanwhile
