"""The site's first upload handler: the body's size is checked before it is read."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadSizeLimit(FileUploadHandler):
    """A request whose body is larger than the largest upload plus a margin for the form's
    fields is refused before any of it is read (a 300 MB upload was once received whole,
    then refused). Django answers RequestDataTooBig with 400 (``kompass.urls.bad_request``
    says the limit). Smaller bodies pass on to Django's own handlers untouched."""

    MARGIN = 2**20

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limit = settings.KOMPASS_UPLOAD_MAX_BYTES + self.MARGIN
        if content_length and content_length > limit:
            raise RequestDataTooBig(f"upload of {content_length} bytes, over the limit of {limit}")
        return None

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
