"""Importers and exporters are small classes, one per format, kept in one registry.

An importer subclasses `Importer`, sets `name` and `help`, and writes `read(path)`, which
yields `FactRecord`s (and `Skip`s for what it leaves out on purpose). Decorate it with
`@register` and `dayfacts import NAME PATH...` finds it; the loader does the rest
(idempotence, bulk writes, counts). An exporter subclasses `Exporter` the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .records import BadInput, FactRecord, Skip

IMPORTERS: dict[str, type[Importer]] = {}
EXPORTERS: dict[str, type[Exporter]] = {}


def register(cls):
    """Add an importer or exporter class to the registry under its `name`."""
    if not getattr(cls, "name", ""):
        raise TypeError(f"{cls.__name__} needs a `name` to be registered.")
    registry = EXPORTERS if issubclass(cls, Exporter) else IMPORTERS
    registry[cls.name] = cls
    return cls


def get_importer(name: str) -> type[Importer]:
    """The importer class registered as `name`; KeyError names the known formats."""
    _load_formats()
    try:
        return IMPORTERS[name]
    except KeyError:
        raise KeyError(
            f"Unknown format {name!r}; known formats: {', '.join(sorted(IMPORTERS))}."
        ) from None


def get_exporter(name: str) -> type[Exporter]:
    """The exporter class registered as `name`."""
    _load_formats()
    try:
        return EXPORTERS[name]
    except KeyError:
        raise KeyError(
            f"Unknown export format {name!r}; known: {', '.join(sorted(EXPORTERS))}."
        ) from None


def importers() -> list[type[Importer]]:
    """Every registered importer, by name."""
    _load_formats()
    return [IMPORTERS[name] for name in sorted(IMPORTERS)]


def exporters() -> list[type[Exporter]]:
    """Every registered exporter, by name."""
    _load_formats()
    return [EXPORTERS[name] for name in sorted(EXPORTERS)]


def _load_formats():
    # The format modules register themselves on import.
    from . import formats  # noqa: F401


class Importer:
    """Read one format into records. Subclasses set `name`, `help` and write `read()`."""

    name = ""
    help = ""
    # File name endings a folder given on the command line contributes.
    suffixes: tuple[str, ...] = ()
    # Formats that carry permalinks (our own exports) match existing facts by slug.
    match_slug = False

    def __init__(self, **options):
        self.options = options

    @classmethod
    def add_arguments(cls, parser):
        """Add this format's own command-line options (shared parser; prefix their help)."""

    def inputs(self, paths: list[str]) -> list[Path]:
        """The files to read: each path, with folders expanded to their matching files."""
        found = []
        for given in paths:
            path = Path(given)
            if path.is_dir():
                found.extend(sorted(
                    p for p in path.iterdir() if p.is_file() and p.name.endswith(self.suffixes)
                ))
            elif path.is_file():
                found.append(path)
            else:
                raise BadInput(path, "", "no such file or folder")
        return found

    def label(self, unit) -> str:
        """How the progress bar names one input."""
        if isinstance(unit, tuple | list):
            return f"{len(unit)} files"
        return Path(str(unit)).name

    def read(self, path) -> Iterator[FactRecord | Skip]:
        """Yield the records of one input; raise BadInput for input that is not this format."""
        raise NotImplementedError(
            f"{type(self).__name__} must define read(path) to yield FactRecords."
        )

    def close(self):
        """Release what reading needed (connections); called once the import is over."""

    # Helpers for subclasses -------------------------------------------------------------

    def read_bytes(self, path) -> bytes:
        """The file's bytes; an empty file is bad input."""
        data = Path(path).read_bytes()
        if not data.strip():
            raise BadInput(path, "", "the file is empty")
        return data

    def read_text(self, path) -> str:
        """The file as UTF-8 text (a byte-order mark is dropped); other encodings are refused."""
        data = self.read_bytes(path)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            raise BadInput(
                path, f"line {line}", f"not UTF-8 text (byte {data[error.start]:#04x}); "
                "convert the file to UTF-8 first"
            ) from None


class Exporter:
    """Write the site's data in one format to a binary stream. Subclasses write `write()`."""

    name = ""
    help = ""
    suffix = ""

    def __init__(self, *, include_private=False, **options):
        self.include_private = include_private
        self.options = options

    def write(self, stream) -> dict[str, int]:
        """Write everything to `stream` (bytes) and return counts by kind of record."""
        raise NotImplementedError(f"{type(self).__name__} must define write(stream).")
