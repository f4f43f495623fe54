"""nianbao-lint: a compliance linter for 政府信息公开工作年度报告; version and public API.

``lint`` is resolved lazily so that ``nianbao-lint --version`` imports nothing heavy.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "lint"]


def __getattr__(name: str):
    if name == "lint":
        from linter.api import lint

        return lint
    raise AttributeError(name)
