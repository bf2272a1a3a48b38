"""Upload handlers that hold an upload to settings.UPLOAD_MAX_BYTES while it streams in, so a
file over the limit never fills memory or the temporary folder (nginx's client_max_body_size is
a second fence, not the only one).

settings.FILE_UPLOAD_HANDLERS puts CappedTemporaryFileUploadHandler after Django's
MemoryFileUploadHandler; the memory handler only takes requests smaller than
FILE_UPLOAD_MAX_MEMORY_SIZE, so everything bigger passes through the cap here.

- Up to the limit a file is written to a temporary file, as with Django's own handler.
- Past the limit the temporary file is dropped at once and the rest of that file is read and
  thrown away (nothing kept), so the other fields of the form still arrive. The form then gets an
  OversizedUpload in place of the file: it has the name and the size received but no content,
  and rial_site.uploads.check_upload refuses it with its usual «pesa …; el máximo es …» message.
- A request whose body is bigger than REFUSE_UNREAD_FACTOR times the limit (by its
  Content-Length, or by the bytes of one file as they arrive when there is none) is not read any
  further: RequestDataTooBig, which Django answers with 400, like DATA_UPLOAD_MAX_MEMORY_SIZE."""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

# Bodies up to this many times UPLOAD_MAX_BYTES are read to the end (the part over the limit is
# discarded) so the form can answer with its fields kept; anything bigger is cut off unread.
REFUSE_UNREAD_FACTOR = 4


class OversizedUpload(UploadedFile):
    """Stands for a file that was over the limit: its name and the bytes received, no content."""

    over_limit = True

    def __init__(self, *, name: str | None, size: int, content_type: str | None, field_name: str | None):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)
        self.field_name = field_name


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """TemporaryFileUploadHandler that stops storing a file once it passes UPLOAD_MAX_BYTES."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.unread_limit:
            raise RequestDataTooBig("Request body exceeds REFUSE_UNREAD_FACTOR * UPLOAD_MAX_BYTES.")

    @property
    def limit(self) -> int:
        return settings.UPLOAD_MAX_BYTES

    @property
    def unread_limit(self) -> int:
        return REFUSE_UNREAD_FACTOR * settings.UPLOAD_MAX_BYTES

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.over_limit = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.over_limit:
            if self.received > self.unread_limit:
                raise RequestDataTooBig("Uploaded file exceeds REFUSE_UNREAD_FACTOR * UPLOAD_MAX_BYTES.")
            return None
        if self.received > self.limit:
            self.over_limit = True
            self.upload_interrupted()  # closes and removes what was written so far
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.over_limit:
            return OversizedUpload(
                name=self.file_name, size=file_size, content_type=self.content_type, field_name=self.field_name
            )
        return super().file_complete(file_size)
