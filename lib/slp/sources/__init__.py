"""Readers for the real public sources: each recognises its format from the headers."""
