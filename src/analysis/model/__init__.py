"""The vocabulary every step speaks: codes, labels, the issue record, the Document, cell values.

Imports nothing else of the package.
"""
