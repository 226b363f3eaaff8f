"""Pre-publication screening: personal data and secrecy markings in text, and their redaction.

A platform module: it knows nothing of disclosures, revisions or reviewers. The disclosures app
scans a revision's fields (`scan.scan`, `scan.scan_html`), shows the findings to the secrecy
reviewer, blocks publication on `scan.blocking(...)` unless overridden, and turns a one-click
redaction (`redact.redact`, `redact.redact_html`) into a new revision. See docs/screening.md.
"""
