"""Importers: external paired code made into static-only corpora (`easeval import pairs|d2l`).

sources.py opens a folder, a wheel or an sdist with the standard library (nothing is imported, run or
unpacked to disk); patterns.py matches `{name}` patterns; pairs.py and d2l.py turn matches and book
chapters into pairs; reexports.py proposes `[aliases]`; corpus_writer.py writes the corpus folder whole or not
at all (a temporary folder renamed at the end). Nothing here ever executes the imported code.
Imports base, frameworks, corpus and analysis; never runner, claims, report or cli.
"""


class ImportFailure(Exception):
    """Nothing useful could be imported; the message says why and names the file or option."""
