"""Every place the program reads or writes state, resolved in one module.

State lives in the user's directories (platformdirs), never in the working directory, the
package or the corpus folder. ``READER_HOME`` moves all of it under one folder (tests use it).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "reader"
HOME_ENV = "READER_HOME"


def _private_dir(path: Path) -> Path:
    """Create ``path`` readable by the user alone (0700), as index pickles and tags are private."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError:
        pass
    return path


def data_dir() -> Path:
    """Where what must never be lost lives: the tag store, read marks, settings."""
    home = os.environ.get(HOME_ENV)
    base = Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))
    return _private_dir(base)


def cache_dir() -> Path:
    """Where what can be rebuilt from the files lives: search indexes and derived tables."""
    home = os.environ.get(HOME_ENV)
    base = Path(home) / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME))
    return _private_dir(base)


def corpus_key(root: Path) -> str:
    """A short stable name for a corpus folder, used to keep one index per folder."""
    resolved = str(root.expanduser().resolve())
    digest = hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{Path(resolved).name or 'root'}-{digest}"


def corpus_cache_dir(root: Path) -> Path:
    """The private cache folder of one corpus (its index, catalog and derived data)."""
    return _private_dir(cache_dir() / "corpora" / corpus_key(root))


def tag_db_path() -> Path:
    return data_dir() / "tags.sqlite3"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def screenshot_dir() -> Path:
    """Where the app saves a screenshot: the user's download folder when there is one, else
    ``screenshots`` in the data folder, made if needed (always there under ``READER_HOME``)."""
    if not os.environ.get(HOME_ENV):
        downloads = platformdirs.user_downloads_path()
        if downloads.is_dir():
            return downloads
    return _private_dir(data_dir() / "screenshots")


def read_marks_path(root: Path) -> Path:
    """One file of read article ids per corpus folder."""
    return data_dir() / "read-marks" / f"{corpus_key(root)}.json"


@dataclass(frozen=True, slots=True)
class IndexFolder:
    """Where one corpus's derived state lives: all of it in the user's private cache.

    The folder is resolved once, when made, so a library keeps using the same files.
    """

    root: Path
    base: Path

    @classmethod
    def of(cls, root: Path) -> IndexFolder:
        return cls(root, corpus_cache_dir(root))

    @property
    def index_dir(self) -> Path:
        return self.base / "index"

    @property
    def catalog_path(self) -> Path:
        return self.base / "catalog.sqlite3"

    @property
    def analysis_path(self) -> Path:
        """The cross-article analysis (quote clusters, people, copies, dates)."""
        return self.base / "across.sqlite3"

    @property
    def extraction_cache_path(self) -> Path:
        """Extraction results kept by text, so a rebuild does not extract again (``extraction.cache``)."""
        return extraction_cache_beside(self.staging_dir)

    @property
    def lock_path(self) -> Path:
        return self.base / "write.lock"

    @property
    def staging_dir(self) -> Path:
        return self.base / "staging"


def extraction_cache_beside(staging_dir: Path) -> Path:
    """The extraction cache of the index whose staging folder is ``staging_dir``: build workers
    are given only that folder."""
    return staging_dir.parent / "extractions.sqlite3"


def bundled_seeds() -> Path:
    """The sample articles shipped with the package: the corpus when no path is given.

    An installed wheel carries them as package data; a source checkout has them at the top.
    """
    packaged = Path(str(resources.files("reader"))) / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "seeds"
