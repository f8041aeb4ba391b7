"""The search side of a corpus: a Whoosh index and a SQLite catalog in the user's cache folder.

Importing this package is cheap and never imports Whoosh: the catalog (``catalog``), the lock
(``locking``) and the query language (``query``) are plain Python, so listing articles at
start-up does not pay for the search engine. Modules that need Whoosh (``analysis``,
``schema``, ``build``, ``sync``, ``search``) import it themselves.
"""
