"""The article list and the status line under the search bar."""
