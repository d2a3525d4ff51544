"""Ingestion: importers, fetcher, feeds, extraction, dates and the replay publisher."""
