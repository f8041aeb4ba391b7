"""reader: read, search and tag a local folder of news articles in the terminal."""

__version__ = "0.1.0"
