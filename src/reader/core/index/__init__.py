"""The search side of a corpus: a Whoosh index and a SQLite catalog in the user's cache folder.

The index only indexes the documents it is given (``documents.IndexDocument``); reading files,
extraction and tags are the pipeline's stages (``reader.core.pipeline``). Importing this package
is cheap and never imports Whoosh: the catalog (``catalog``), the lock (``locking``) and the
query language (``query``) are plain Python, so listing articles at start-up does not pay for
the search engine. Modules that need Whoosh (``terms``, ``schema``, ``documents``,
``index_files``, ``scoring``, ``searcher``, ``storage``) import it themselves.
"""
