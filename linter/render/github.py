"""GitHub Actions workflow commands: one ::error/::warning/::notice annotation per finding."""

from __future__ import annotations

from typing import TextIO

from linter.levels import GITHUB as COMMAND
from linter.models import LintResult
from linter.render import absolute_line
from linter.safetext import printable


def _escape(text: str, prop: bool = False) -> str:
    text = printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render(result: LintResult, out: TextIO) -> None:
    owners = {fr.path: fr for fr in result.files}
    for f in result.findings:
        props = [f"file={_escape(f.file, True)}", f"title={_escape(f'{f.rule} {f.name}', True)}"]
        line = absolute_line(owners.get(f.file), f.location)  # a PDF's earlier pages counted
        if line:
            props.append(f"line={line}")
        where = f.location.describe()
        out.write(
            f"::{COMMAND[f.level]} {','.join(props)}::{_escape(f'[{f.rule}] {f.message}' + (f'（{where}）' if where else ''))}\n"
        )
    for fr in result.files:
        if fr.error:
            out.write(f"::error file={_escape(fr.path, True)}::{_escape(fr.error)}\n")
