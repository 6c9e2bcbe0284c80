"""The embedded default's mail backend: every message becomes one .eml file under EMAIL_FILE_PATH.

Django's own file backend appends all messages of a connection to one .log file; one file per
mail, named after when and to whom, is what a newcomer looking in ``var/mail/`` can find and
open (any mail program or text editor reads .eml).
"""

import os
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class FileBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            recipient = re.sub(r"[^a-z0-9@._-]+", "_", ",".join(message.recipients()).lower())[:80]
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            # Written under a temporary name and renamed: a reader never sees half a mail.
            handle, temporary = tempfile.mkstemp(dir=self.file_path, prefix=".", suffix=".part")
            with os.fdopen(handle, "wb") as stream:
                stream.write(message.message().as_bytes(linesep="\n"))
            final = self.file_path / f"{stamp}-{recipient}-{os.path.basename(temporary)[1:9]}.eml"
            os.replace(temporary, final)
        return len(email_messages)
