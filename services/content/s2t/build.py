"""Builds STPhrasesAndCharacters.ocd2 from the dictionaries of the installed OpenCC.

OpenCC's own s2t configuration looks phrases and characters up in a group of three
dictionaries, which costs each process that converts about 27 MB; the same entries in one
dictionary cost about 6 MB and convert identically (tests/services/test_localize.py checks
it against OpenCC's s2t). Run again after upgrading OpenCC: python services/content/s2t/build.py
"""

import os
import subprocess
import tempfile
from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
CLIB = Path(opencc.__file__).resolve().parent / "clib"
SHARED = CLIB / "share" / "opencc"
# In the order s2t looks them up: where a key is in more than one, the first value stands.
SOURCES = ("STPhrases", "STPhrases_GeneratedFromRegionalPhrases", "STCharacters")


def dictionary_tool(*args: str) -> None:
    env = os.environ | {"LD_LIBRARY_PATH": str(CLIB / "lib64")}
    subprocess.run([str(CLIB / "bin" / "opencc_dict"), *args], check=True, env=env)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        seen: dict[str, str] = {}
        for name in SOURCES:
            text = Path(folder) / f"{name}.txt"
            dictionary_tool(
                "-i", str(SHARED / f"{name}.ocd2"), "-o", str(text), "-f", "ocd2", "-t", "text"
            )
            for line in text.read_text(encoding="utf-8").splitlines():
                seen.setdefault(line.split("\t", 1)[0], line)
        merged = Path(folder) / "merged.txt"
        merged.write_text("".join(line + "\n" for line in seen.values()), encoding="utf-8")
        out = HERE / "STPhrasesAndCharacters.ocd2"
        dictionary_tool("-i", str(merged), "-o", str(out), "-f", "text", "-t", "ocd2")
    # Normalisation, and the Taiwan and Hong Kong standard forms applied after s2t.
    for name in (
        "CJK_Compatibility_Ideographs",
        "TWVariantsPhrases",
        "TWVariants",
        "HKVariantsPhrases",
        "HKVariants",
    ):
        (HERE / f"{name}.ocd2").write_bytes((SHARED / f"{name}.ocd2").read_bytes())


if __name__ == "__main__":
    main()
