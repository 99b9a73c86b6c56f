"""One module per format; importing this package registers them all."""

from . import bsd  # noqa: F401
