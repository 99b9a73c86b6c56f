"""An email backend that leaves each message in its own .eml file."""

import os
import uuid

from django.core.mail.backends import filebased
from django.utils import timezone


class EmlFileBackend(filebased.EmailBackend):
    """Write every message to EMAIL_FILE_PATH as a .eml file that any mail program opens.

    Django's file backend appends a connection's messages to one .log file; one file per
    message lets a new user double-click the confirmation email and follow its link.
    """

    def open(self):
        return False

    def close(self):
        pass

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
            path = os.path.join(self.file_path, name)
            # Written aside and renamed, so a reader never opens half a message.
            with open(path + ".part", "wb") as stream:
                stream.write(message.message().as_bytes())
            os.replace(path + ".part", path)
            count += 1
        return count
