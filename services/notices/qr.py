"""QR codes for printed notices, drawn as SVG so they stay sharp at any print size."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q

# The four-module quiet zone the QR standard asks for; scanners fail without it.
QUIET_ZONE = 4
LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}


def qr_matrix(data: str, level: str = "M") -> list[list[bool]]:
    """The modules of the smallest QR code for `data`, quiet zone included (True = dark)."""
    code = qrcode.QRCode(error_correction=LEVELS[level], border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.get_matrix()]


@lru_cache(maxsize=4096)
def qr_svg(data: str, level: str = "M") -> str:
    """An SVG QR code for `data`: one path on a white square, sized by the page's CSS."""
    matrix = qr_matrix(data, level)
    size = len(matrix)
    # Each run of dark modules is one stroke a module thick along the row's middle: the
    # fewest path commands to lay out. crispEdges stops hairline gaps between rows.
    path = "".join(
        f"M{x} {y}.5h{width}" for y, row in enumerate(matrix) for x, width in _dark_runs(row)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" stroke="#000" stroke-width="1" fill="none"/></svg>'
    )


def _dark_runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    runs, start = [], None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    return runs
