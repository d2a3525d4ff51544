"""Enrichment stages: keyphrases, duplicates, stories, related articles and summaries."""
