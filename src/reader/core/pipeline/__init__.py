"""Indexing a folder, in the open: the one place that runs every stage, with plain imports.

    list files → load → extract → record → index        (``sync`` lists and compares,
                                                         ``build`` runs the other stages)

Each stage is its own package below this one and knows nothing of the others: the loader
reads files (``reader.core.loader``), extraction finds quotes and people
(``reader.core.extraction``), the cross-article record is made from both
(``reader.core.cross_article``), the user's tags are read (``reader.core.tags``), and the index
files the document it is given (``reader.core.index``). ``Library.sync`` runs it.
"""
