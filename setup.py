"""How the ``nianbao-lint`` command is installed; everything else is in pyproject.toml.

A console-script entry point makes the installer write a wrapper that imports ``re`` before it
imports the command: 13-28 ms of every warm check on the development machine, where the warm
client itself imports nothing but its own modules and modules written in C (``linter.warm``). So on
POSIX systems the command is ``bin/nianbao-lint``, a plain script whose ``#!python`` line the
installer points at the environment's interpreter. Windows runs no script without an ``.exe``
launcher, and has no warm server, so there the command stays an entry point.
"""

import sys

from setuptools import setup

if sys.platform == "win32":
    setup(entry_points={"console_scripts": ["nianbao-lint = linter.cli:main"]})
else:
    setup(scripts=["bin/nianbao-lint"])
