"""Smaller embedded fonts: each CJK subset as a bare CID-keyed CFF holding only its glyphs.

WeasyPrint 70 keeps every glyph id of an OpenType font in its subsets so that the ids in
the page content stay valid. Noto Sans CJK has 65,535 glyphs, so a subset of 300 glyphs
still carries 63,000 empty charstrings and two metrics tables sized for all of them: about
190 KB compressed per font, where the glyphs themselves take 40–100 KB, and making that
subset is half the time of writing a notice. A CID-keyed CFF font names each glyph by its
CID in its charset, and in these fonts the CID is the glyph id the page content already
uses, so a bare CFF (FontFile3 /CIDFontType0C) can drop the empty glyphs and every reader
still finds the right outline.

WeasyPrint has no option for this: while `compact_cid_subsets()` is active, its subsetting
of CID-keyed CFF fonts is replaced by ours, and the finisher `embed_compact_cffs` puts the
bare CFF in the file. WeasyPrint is pinned (pyproject.toml); the tests compare a notice's
pages with WeasyPrint's own output pixel for pixel.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf
from fontTools.cffLib import CFFFontSet
from weasyprint.pdf.fonts import Font
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
from weasyprint.text.fonts import get_hb_object_data

CFF_TAG = harfbuzz.hb_tag_from_string(b"CFF ", -1)
# Only the CFF table is embedded. Dropping the layout tables also stops HarfBuzz from adding
# every glyph a substitution could reach (vertical forms, ligatures) to the subset.
DROPPED_TABLES = sorted(
    harfbuzz.hb_tag_from_string(tag, -1)
    for tag in (b"BASE", b"GDEF", b"GPOS", b"GSUB", b"JSTF", b"VORG", b"vhea", b"vmtx")
)


@contextmanager
def compact_cid_subsets() -> Iterator[None]:
    """While active, WeasyPrint subsets CID-keyed CFF fonts to their used glyphs alone."""
    weasyprints_own = Font.subset

    def subset(font: Font, to_unicode: dict[int, str], hinting: bool) -> None:
        glyphs = sorted(set(to_unicode) | {0})  # and .notdef
        compact = _subset(font.hb_face, glyphs, bool(font.missing)) if to_unicode else None
        if compact is None:
            weasyprints_own(font, to_unicode, hinting)
        else:
            # An OpenType file, so WeasyPrint describes it as CFF; its CFF table is embedded.
            font.file_content, font.compact_cff = compact

    Font.subset = subset
    try:
        yield
    finally:
        Font.subset = weasyprints_own


def embed_compact_cffs(document: Any, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: embed the compact subsets as bare CID-keyed CFF fonts."""
    fonts = {font.name: font for font in document.fonts.values()}
    # Several font dictionaries may share one font file, subset once for all of them.
    files: dict[int, tuple[list[Any], list[pydyf.Dictionary]]] = {}
    parents: dict[int, list[pydyf.Dictionary]] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary):
            continue
        if obj.get("Subtype") == "/Type0":
            for reference in obj["DescendantFonts"]:
                parents.setdefault(_number(reference), []).append(obj)
        elif obj.get("Subtype") == "/CIDFontType0" and obj["BaseFont"] in fonts:
            descriptor = pdf.objects[_number(obj["FontDescriptor"])]
            if "FontFile3" in descriptor:
                entry = files.setdefault(_number(descriptor["FontFile3"]), ([], []))
                entry[0].append(fonts[obj["BaseFont"]])
                entry[1].append(obj)
    for number, (file_fonts, dictionaries) in files.items():
        cff = next((font.compact_cff for font in file_fonts if hasattr(font, "compact_cff")), None)
        if cff is None:
            continue
        stream = pdf.objects[number]
        stream.stream = [cff]
        stream.extra["Subtype"] = "/CIDFontType0C"
        for dictionary in dictionaries:
            dictionary.pop("CIDToGIDMap", None)  # a TrueType notion; CFF maps through its charset
            # WeasyPrint's subset tag names the font, not the glyphs: parts of a hall batch
            # would join different subsets under one name, which printers may mix up.
            name = _subset_name(dictionary["BaseFont"], cff)
            dictionary["BaseFont"] = name
            pdf.objects[_number(dictionary["FontDescriptor"])]["FontName"] = name
            for parent in parents.get(dictionary.number, ()):
                parent["BaseFont"] = name


def _subset_name(name: bytes, cff: bytes) -> bytes:
    """The font's name with a subset tag of six capitals drawn from the subset itself."""
    digest = hashlib.sha256(cff).digest()
    tag = bytes(65 + byte % 26 for byte in digest[:6])
    return b"/" + tag + b"+" + name.split(b"+", 1)[1]


def _number(reference: bytes | str) -> int:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def _subset(face: Any, glyphs: list[int], notdef_outline: bool) -> tuple[bytes, bytes] | None:
    """A subset of `face` keeping `glyphs` and its CFF table, or None unless CID-keyed CFF."""
    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new("hb_codepoint_t[]", glyphs), len(glyphs))
    # The flags WeasyPrint uses, less RETAIN_GIDS. Flattened charstrings came out smaller
    # than subset subroutines for these fonts.
    flags = (
        harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    )
    if notdef_outline:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    dropped = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    )
    harfbuzz.hb_set_add_sorted_array(
        dropped,
        ffi.new("hb_codepoint_t[]", DROPPED_TABLES),
        len(DROPPED_TABLES),
    )
    subset = harfbuzz_subset.hb_subset_or_fail(face, subset_input)
    if subset == ffi.NULL:
        return None
    subset = ffi.gc(subset, harfbuzz.hb_face_destroy)
    blob = ffi.gc(harfbuzz.hb_face_reference_table(subset, CFF_TAG), harfbuzz.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    if not length[0]:
        return None
    cff = bytes(ffi.buffer(data, length[0]))
    return (get_hb_object_data(subset), cff) if _is_cid_keyed(cff) else None


def _is_cid_keyed(cff: bytes) -> bool:
    """True when the CFF's top dictionary has a ROS, so its charset maps CIDs to glyphs."""
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    return hasattr(fonts.topDictIndex[0], "ROS")
