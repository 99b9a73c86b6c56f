"""Signals of the interchange app.

import_finished
    Sent after an import (not a dry run) has committed. Imports write in bulk and so send
    no post_save signals; listeners such as a page cache use this one instead.
    Arguments: sender (the importer class), stats (a loader.Stats with the counts).
"""

from django.dispatch import Signal

import_finished = Signal()
