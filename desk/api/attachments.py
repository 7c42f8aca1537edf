"""/api/attachments: agents' uploads and every attachment's bytes; and
/api/messages/{id}/original, an email exactly as it arrived."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from desk.api.access import access
from desk.api.errors import TooLarge, error_responses
from desk.errors import Invalid
from desk.models.agents import Agent
from desk.models.messages import Attachment
from desk.services import attachments
from desk.services.channels import email_inbound
from desk.services.desk import Desk

# The whole request may carry the multipart framing around a 25 MiB file.
UPLOAD_LIMIT = attachments.MAX_BYTES + 64 * 1024
# Downloads render nothing: no script, no plugin, no framing, whatever the bytes are.
_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "no-store",
}


class AttachmentController(Controller):
    path = "/api/attachments"
    tags = ["attachments"]

    @post(
        sync_to_thread=True,
        request_max_body_size=UPLOAD_LIMIT,
        opt=access(upload_limit=UPLOAD_LIMIT),
        responses=error_responses(400, 401, 403, 413),
    )
    def upload_attachment(
        self,
        desk: NamedDependency[Desk],
        me: NamedDependency[Agent],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Attachment:
        """One part named `file` (at most 25 MiB); its type is sniffed from the bytes."""
        part = data.get("file")
        if not isinstance(part, UploadFile):
            raise Invalid("Send the file in a multipart part named file.", "file")
        content = part.file.read(attachments.MAX_BYTES + 1)
        if len(content) > attachments.MAX_BYTES:
            raise TooLarge("The file is larger than 25 MiB.", "file_too_large")
        return attachments.upload(desk, me, part.filename, content)

    @get(
        "/{attachment_id:int}",
        sync_to_thread=True,
        responses=error_responses(401, 404),
        media_type="application/octet-stream",
    )
    def download_attachment(
        self, desk: NamedDependency[Desk], me: NamedDependency[Agent], attachment_id: FromPath[int]
    ) -> Response[bytes]:
        """The bytes: PNG, JPEG, GIF and WebP inline (previews), anything else a download."""
        found = attachments.download(desk, me, attachment_id)
        headers = {**_FILE_HEADERS, "Content-Disposition": found.disposition}
        return Response(found.data, media_type=found.content_type, headers=headers)


class OriginalController(Controller):
    path = "/api/messages"
    tags = ["messages"]

    @get(
        "/{message_id:int}/original",
        sync_to_thread=True,
        responses=error_responses(401, 404),
        media_type="message/rfc822",
    )
    def message_original(
        self, desk: NamedDependency[Desk], message_id: FromPath[int]
    ) -> Response[bytes]:
        """The email exactly as received, as a download (404 if it did not come by email)."""
        data = email_inbound.original(desk, message_id)
        headers = {
            **_FILE_HEADERS,
            "Content-Disposition": f'attachment; filename="message-{message_id}.eml"',
        }
        return Response(data, media_type="message/rfc822", headers=headers)
