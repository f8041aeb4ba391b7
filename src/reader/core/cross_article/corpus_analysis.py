"""``CorpusAnalysis``: the cross-article analysis of one corpus, kept in one SQLite file.

It is fed ``ArticleAnalysis`` records by the index pipeline and updated in place (``writer``);
it answers the cross-article questions (``queries``); the file and its schema are in
``analysis_file``. Quote matching is explained in ``quote_clusters``, copies in ``copy_groups``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reader.core.cross_article import writer
from reader.core.cross_article.analysis_file import AnalysisFile
from reader.core.cross_article.queries import AnalysisQueries
from reader.core.cross_article.records import ArticleAnalysis


class CorpusAnalysis(AnalysisQueries):
    """Cross-article analysis of one corpus, stored at ``db_path`` and updated incrementally.

    Safe to share between threads (calls are serialised); several processes may open the same
    file (SQLite's write-ahead log keeps readers and the one writer apart).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        super().__init__(AnalysisFile(db_path))

    @property
    def reset(self) -> bool:
        """True when the file was new, outdated or damaged and is now empty: feed every record."""
        return self._file.reset

    def update(self, records: Iterable[ArticleAnalysis], removed_ids: Iterable[str] = ()) -> None:
        """Store new or changed articles and forget removed ones, re-linking only what they touch."""
        writer.update(self._file, records, removed_ids)

    def close(self) -> None:
        self._file.close()
