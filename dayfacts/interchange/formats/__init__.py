"""One module per format; importing this package registers them all."""

from . import bsd, csv, jsonl, muffinlabs, wikipedia, wxr  # noqa: F401
