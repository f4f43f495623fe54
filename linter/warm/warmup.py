"""What the warm server does before it listens, and what a spare does before it is ready.

The server imports every reader, renderer and check and loads the rules and formats; it writes
its sample reports (``linter.warm.samples``) into a folder of its own, kept while it runs; it
checks the text sample through the command line in every output format (so the patterns and
renderers are compiled) and reads the others in place (so each reader is warm). A spare checks
every sample once more as a request would (``spare_runs``): see ``linter.warm.spare``.
"""

from __future__ import annotations

import importlib
import os
import shutil

from linter.warm import samples

MODULES = (
    "linter.commands",
    "linter.api",
    "linter.files",
    "linter.baseline",
    "linter.render",
    "linter.load.txt",
    "linter.load.docx",
    "linter.load.html",
    "linter.load.ocrimages",  # a Word file or web page without tables as text: its pictures are looked at
    "linter.load.ocr",
    "pypdfium2",
    "linter.load.pdf",
    "linter.render.console",
    "linter.render.json",
    "linter.render.sarif",
    "linter.render.html",
)


def warm_up(folder: str) -> list[str]:
    """Import and exercise what a check needs, so that the forked children start warm; the
    samples are written into ``folder``. Their paths, the text report first."""
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional reader's library missing: that reader stays cold
            pass
    report = samples.write(folder)
    forms = ("json", "console", "sarif", "concise")
    check_quietly([["--format", form, "--fail-level", "info", "--exit-zero", report] for form in forms])
    from linter import api

    others = samples.others(folder)
    for path in others:  # our own files: read in place, so this process itself warms
        api.run_file(path, [], isolate=False)
    return [report, *others]


def spare_runs(paths: list[str]) -> list[list[str]]:
    """A spare's checks, the most common path first: each sample as JSON (PDF and Word through
    the isolated reader, which they start), then the text one on the console."""
    text, *others = paths
    order = sorted(others, key=lambda p: (".pdf", ".docx", ".html").index(os.path.splitext(p)[1]))
    return [["--format", "json", path] for path in (text, *order)] + [["--format", "console", text]]


def check_quietly(runs: list[list[str]]) -> None:
    """Run ``nianbao-lint check`` on each argument list, with descriptors 0-2 on /dev/null."""
    from linter import cli

    null = os.open(os.devnull, os.O_RDWR)
    saved = [os.dup(fd) for fd in (0, 1, 2)]
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        for args in runs:
            try:
                cli.main(["check", *args])
            except SystemExit:
                pass
    finally:
        for fd, old in enumerate(saved):
            os.dup2(old, fd)
            os.close(old)
        os.close(null)


def sample_folder(where: str) -> str:
    """A new folder in ``where`` for this server's samples; those of servers no longer running are removed."""
    for name in os.listdir(where):
        if name.startswith("warm-sample-"):
            try:
                os.kill(int(name.rsplit("-", 1)[1]), 0)
            except (ValueError, ProcessLookupError):
                shutil.rmtree(os.path.join(where, name), ignore_errors=True)
            except PermissionError:
                pass
    folder = os.path.join(where, f"warm-sample-{os.getpid()}")
    shutil.rmtree(folder, ignore_errors=True)
    os.mkdir(folder, 0o700)
    return folder
