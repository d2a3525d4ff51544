"""Ingestion: importers, fetcher, feeds, extraction and dates."""
