"""The editor's desk: pure rules for accounts, sessions, login throttling and tokens.

No I/O here: `marsad.store` keeps the desk's rows, `marsad.web.desk` serves its pages and API.
"""
