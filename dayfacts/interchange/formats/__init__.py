"""One module per format; importing this package registers them all."""

from . import bsd, csv, jsonl, wikipedia, wxr  # noqa: F401
