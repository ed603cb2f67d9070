"""Durable, watchable object storage: the `Storage` contract and its memory and SQLite backends."""
