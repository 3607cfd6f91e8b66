"""Printed wall notices: one PDF per revision, language and paper, a hall's whole set, the QR
code to the permanent address and the content-addressed store of rendered files. PDFs are
laid out by WeasyPrint in render processes (presses.py, jobs.py), never in a web worker."""

# Under static/; the render processes lay notices out with it and the web process hashes it
# into the name of every PDF.
STYLESHEET = "css/print.css"
