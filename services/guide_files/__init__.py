"""Blank forms and filled-in samples of a service's materials: uploaded PDFs, checked before
they are kept, and stored under the upload folder named by the SHA-256 of their bytes.

A revision's content names a file by that hash, so a published revision points at the same
bytes for ever, whatever is uploaded later; the same file uploaded twice is kept once.
"""
