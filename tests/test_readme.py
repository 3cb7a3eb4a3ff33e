"""The README's commands and keys are the ones that work: CI runs its test command, keys are bound."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def _commands() -> dict[str, str]:
    """The numbered commands of the README's opening, by number."""
    found = {}
    for line in _shell_blocks()[1].splitlines():
        if line.startswith("# "):
            number = line[2:3]
        elif line.strip():
            found[number] = line.strip()
    return found


def test_system_libraries_come_before_the_commands_and_cover_what_ci_installs() -> None:
    libraries, commands = _shell_blocks()[:2]
    assert "apt-get install" in libraries and "python3-venv" in libraries
    assert README.index(libraries) < README.index(commands)
    ci_libraries = re.search(r'QT_LIBS="(.*?)"', CI, re.S)
    assert ci_libraries is not None
    named = set(libraries.replace("\\", " ").split())
    assert set(ci_libraries.group(1).split()) <= named


def test_the_two_commands_use_a_virtual_environment_and_ci_runs_the_test_command() -> None:
    commands = _commands()
    assert set(commands) == {"1", "2"}
    for command in commands.values():
        assert command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install")
    assert "sudo" not in commands["1"] + commands["2"]
    assert commands["2"] in CI.splitlines()  # CI runs exactly the README's test command


def test_the_deb_build_command_names_a_real_target() -> None:
    found = re.search(r"`(\.venv/bin/python packaging/build\.py (\w+))`", README)
    assert found is not None and found.group(2) == "deb"
    assert '"deb"' in (REPO / "packaging" / "build.py").read_text(encoding="utf-8")


# Keys handled inside a widget rather than by a menu action (each has its own test).
_IN_WIDGETS = {"N", "P", "Esc", "Delete", "Ctrl+Z"}
_SPELLING = {"Ctrl+Plus": "Ctrl++", "Ctrl+Minus": "Ctrl+-"}


@pytest.mark.usefixtures("qapp")
def test_every_key_in_the_readme_is_bound() -> None:
    from policyreader.ui.shell.actions import ACTION_SPECS, key_sequences

    bound = {sequence.toString() for spec in ACTION_SPECS for sequence in key_sequences(spec)}
    table = README[README.index("## Keys") : README.index("## Command line")]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| ")][2:]
    keys = {k.strip() for row in rows for k in re.split(r",|\s/\s", row) if k.strip()}
    assert {"N", "P", "F8", "Shift+F8", "Ctrl+Shift+Tab"} <= keys
    unbound = {k for k in keys if _SPELLING.get(k, k) not in bound | _IN_WIDGETS}
    assert not unbound
