"""The reports' own wording, in one place for every stage: how reports print years and dates
(``dates``), numbering of sections, items and pages (``numbering``), titles, agency names
and their endings (``names``), section headings (``headings``) and sign-offs (``signoff``).

Readers (``linter.load``), the parser (``linter.parse``) and the checks take these from here,
so that no stage reaches into another's internals for them.
"""
