"""The Textual app. Imported only when the app opens, so commands never pay for Textual."""
