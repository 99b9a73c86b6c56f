"""docs/import-export.md documents every command, option and format there is."""

from pathlib import Path

import pytest
from django.core.management import load_command_class

from dayfacts.interchange.registry import exporters, importers

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "import-export.md").read_text()


@pytest.mark.parametrize("name", ["import", "export", "load_almanac"])
def test_every_option_is_documented(name):
    command = load_command_class("dayfacts.interchange", name)
    parser = command.create_parser("dayfacts", name)
    assert f"dayfacts {name}" in DOCS
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option not in {
                "--help", "--version", "--verbosity", "--settings", "--pythonpath",
                "--traceback", "--no-color", "--force-color", "--skip-checks",
            }:
                assert f"`{option}" in DOCS or f" {option}" in DOCS, f"{name} {option}"


def test_every_format_is_documented():
    for importer in importers():
        assert f"`{importer.name}`" in DOCS, importer.name
    for exporter in exporters():
        assert f"dayfacts export {exporter.name}" in DOCS, exporter.name
