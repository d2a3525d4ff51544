"""The replay publisher: a stand-in for news sites that serves the corpus over real HTTP."""
