"""Refresh data/boundaries/: the world-atlas country files and the precomputed land borders.

Run from the repository root:

    python data/build/boundaries.py                             # rebuild borders-10m.parquet
    python data/build/boundaries.py --tarball world-atlas-2.0.2.tgz   # replace the files first

The boundary files come from the npm package world-atlas (ISC licence; Natural Earth 4.1.0,
public domain).  Get the tarball with ``npm pack world-atlas@2.0.2``; ``--tarball`` copies
countries-10m.json, countries-50m.json and the package's LICENSE out of it.  The borders
file is stamped with the SHA-256 of countries-10m.json, so the application notices a
boundary file that changed without a rebuild (it then computes the borders itself and
caches them in the user cache directory).  Commit the files together.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tarfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from geo.spatial.borders import borders_file, write_borders_file  # noqa: E402
from geo.spatial.boundaries import BOUNDARY_DIR, load_boundaries  # noqa: E402

# Member of the npm tarball -> file in data/boundaries/.
TARBALL_FILES = {
    "package/countries-10m.json": "countries-10m.json",
    "package/countries-50m.json": "countries-50m.json",
    "package/LICENSE": "LICENSE-world-atlas",
}


def _extract(tarball: Path) -> None:
    """Copy the boundary files and licence out of a world-atlas npm tarball."""
    with tarfile.open(tarball) as archive:
        for member, name in TARBALL_FILES.items():
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"{tarball} has no file {member}")
            (BOUNDARY_DIR / name).write_bytes(source.read())
            print(f"copied {member} -> data/boundaries/{name}")


def main() -> None:
    """Rebuild the borders file and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="world-atlas npm tarball to copy from")
    args = parser.parse_args()
    if args.tarball:
        _extract(args.tarball)
    for resolution in ("10m", "50m"):
        path = BOUNDARY_DIR / f"countries-{resolution}.json"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{path.name}: sha256 {digest}, {len(load_boundaries(resolution))} countries")
    borders = write_borders_file(borders_file("10m"), "10m")
    lengths = borders.set_index("pair")["length_km"]
    print(
        f"wrote {borders_file('10m').relative_to(REPO_ROOT)}: {len(borders)} land borders; "
        f"CN-LA {lengths['CN-LA']:.0f} km, CN-VN {lengths['CN-VN']:.0f} km"
    )


if __name__ == "__main__":
    main()
