"""Uploads stop being kept once they pass the import limit (docs/spec/quality.md#safe-uploads).

Django streams an upload to memory (small files) or a temporary file (large ones), and would
keep the whole of it however big it is. This handler sits first in FILE_UPLOAD_HANDLERS: it
passes each chunk on only while the file is within IMPORT_MAX_BYTES, then counts the rest
without keeping it. The form sees an empty upload of the true size and refuses it with its usual
message ("must be smaller than ..."), so a 1 GB upload costs a 64 KB buffer, not a 1 GB file.

The file name is only ever text: Django keeps just its last path component, and the app never
uses it as a path (it is shown and recorded, nothing more).
"""

import io

from django.conf import settings
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
