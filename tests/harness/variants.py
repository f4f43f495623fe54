"""The variant families: each turns a ``Source`` into one document (bytes and a file suffix).

Portal page templates come from ``harness.portal`` when that module is present; otherwise the
bare page of ``render.plain_page`` stands alone. PDF families need LibreOffice or Chromium and
a cache folder (printing is the slow part).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness import ooxml, printing, render, textforms
from harness.model import Source

try:  # portal page templates (metadata box, breadcrumbs, share bar, footer, CMS tags)
    from harness import portal
except ImportError:  # not written yet: the bare page only
    portal = None


@dataclass(frozen=True)
class Variant:
    name: str  # e.g. txt-paged-of
    family: str  # format family for the per-format numbers: html, portal, txt, md, docx, pdf-…
    make: Callable[[Source, Path], tuple[bytes, str]]  # (source, cache folder) → (content, suffix)
    slow: bool = False  # prints a PDF


def _page(source: Source) -> bytes:
    return render.plain_page(render.html_body(source), title=source.title)


def _portal(template: str, encoding: str):
    def make(source: Source, cache: Path) -> tuple[bytes, str]:
        data = portal.wrap(
            render.html_body(source),
            title=source.title,
            template=template,
            encoding=encoding,
            agency=source.agency,
            date=source.iso_date(),
        )
        return data, ".html"

    return make


def _text(fn) -> Callable[[Source, Path], tuple[bytes, str]]:
    return lambda source, cache: (fn(source).encode("utf-8"), ".txt")


def _pdf(fn) -> Callable[[Source, Path], tuple[bytes, str]]:
    return lambda source, cache: (fn(source, cache).read_bytes(), ".pdf")


def all_variants() -> list[Variant]:
    out = [
        Variant("html-plain", "html", lambda s, c: (_page(s), ".html")),
        Variant(
            "html-plain-gbk",
            "html",
            lambda s, c: (render.plain_page(render.html_body(s), title=s.title, encoding="gbk"), ".html"),
        ),
        Variant("md-pipe", "md", lambda s, c: (render.markdown(s).encode("utf-8"), ".md")),
        Variant("docx", "docx", lambda s, c: (ooxml.docx(s), ".docx")),
        Variant("txt-tabs", "txt", _text(lambda s: textforms.per_line(s, "\t"))),
        Variant("txt-lines", "txt", _text(lambda s: textforms.per_line(s, " "))),
        Variant("txt-oneline", "txt", _text(lambda s: textforms.one_line(s, " "))),
        Variant("txt-oneline-tight", "txt", _text(lambda s: textforms.one_line(s, ""))),
        Variant("txt-wrap40", "txt", _text(lambda s: textforms.wrapped(s, 40))),
        Variant("txt-wrap72", "txt", _text(lambda s: textforms.wrapped(s, 72))),
        Variant("txt-crawler", "txt", _text(textforms.crawler)),
    ]
    for footer in textforms.FOOTERS:
        out.append(Variant(f"txt-paged-{footer}", "txt-paged", _text(lambda s, f=footer: textforms.paged(s, f))))
    out.append(Variant("txt-paged-head", "txt-paged", _text(lambda s: textforms.paged(s, "of", running_head=True))))
    if portal is not None:
        for template in portal.TEMPLATES:
            out.append(Variant(f"portal-{template}", "portal", _portal(template, "utf-8")))
        out.append(Variant(f"portal-{portal.TEMPLATES[0]}-gbk", "portal", _portal(portal.TEMPLATES[0], "gbk")))
    out += [
        Variant("pdf-chromium", "pdf-chromium", _pdf(lambda s, c: printing.chromium(_page(s), c)), slow=True),
        Variant(
            "pdf-lo-docx",
            "pdf-libreoffice",
            _pdf(lambda s, c: printing.libreoffice(ooxml.docx(s), ".docx", c)),
            slow=True,
        ),
        Variant(
            "pdf-lo-html", "pdf-libreoffice", _pdf(lambda s, c: printing.libreoffice(_page(s), ".html", c)), slow=True
        ),
    ]
    if portal is not None:
        first = portal.TEMPLATES[0]
        out.append(
            Variant(
                f"pdf-chromium-portal-{first}",
                "pdf-chromium",
                _pdf(lambda s, c: printing.chromium(_portal(first, "utf-8")(s, c)[0], c)),
                slow=True,
            )
        )
    return out


def by_name(names: list[str] | None = None) -> list[Variant]:
    variants = all_variants()
    if not names:
        return variants
    known = {v.name: v for v in variants}
    missing = [n for n in names if n not in known]
    if missing:
        raise KeyError(f"unknown variants: {', '.join(missing)} (known: {', '.join(known)})")
    return [known[n] for n in names]
