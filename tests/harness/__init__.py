"""Metamorphic harness: rebuilds each hand-read fixture as a neutral ``Source``, renders it in
unseen layouts (portal pages, crawler text, printed PDFs, Word, Markdown), injects one defect at
a time and checks that reading and judging are unchanged except for that defect.

``model`` extracts sources; ``render``, ``textforms`` and ``ooxml`` write documents; ``printing``
makes PDFs; ``variants`` names the families; ``defects`` injects defects; ``measure`` reads and
compares one document; ``run`` sweeps and summarises.
"""
