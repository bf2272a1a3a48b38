"""A tile map of Peru's 25 regions (G/DRTPE): each region one square cell of a 5 × 10 grid,
placed roughly where it lies (north at the top, the coast on the left).

Why a tile map and not the regions' outlines: no boundary geometry to license, credit and keep
up to date; every region gets a cell of the same size, so small ones (Callao, Tumbes, Moquegua)
are as readable and as easy to tap on a phone as Loreto; and the file stays a few lines of code.
The cost is that shapes and areas are not geographic: the map shows where a region lies among
the others, not its size.

(row, column), counted from the top left. Regions are matched by name (capacity_plan.Region).
"""

COLUMNS = 5
ROWS = 10

TILES: dict[str, tuple[int, int]] = {
    "Tumbes": (0, 0),
    "Loreto": (0, 3),
    "Piura": (1, 0),
    "Cajamarca": (1, 1),
    "Amazonas": (1, 2),
    "Lambayeque": (2, 0),
    "La Libertad": (2, 1),
    "San Martín": (2, 2),
    "Ucayali": (2, 3),
    "Áncash": (3, 1),
    "Huánuco": (3, 2),
    "Callao": (4, 0),
    "Lima Provincias": (4, 1),
    "Pasco": (4, 2),
    "Madre de Dios": (4, 4),
    "Ica": (5, 1),
    "Junín": (5, 2),
    "Cusco": (5, 3),
    "Huancavelica": (6, 2),
    "Apurímac": (6, 3),
    "Puno": (6, 4),
    "Ayacucho": (7, 2),
    "Arequipa": (8, 2),
    "Moquegua": (8, 3),
    "Tacna": (9, 3),
}


def tile_of(name: str) -> tuple[int, int] | None:
    return TILES.get(name)


TILE_SIZE = 60  # SVG units per cell
TILE_GAP = 4
TILE_STEP = TILE_SIZE + TILE_GAP
WIDTH = COLUMNS * TILE_STEP - TILE_GAP
HEIGHT = ROWS * TILE_STEP - TILE_GAP


def short_name(name: str) -> str:
    """What fits in a cell: the initials of a name of several words («La Libertad» → «LL»,
    «Madre de Dios» → «MDD»), else its first three letters («Cusco» → «CUS»)."""
    words = name.split()
    if len(words) > 1:
        return "".join(word[0] for word in words).upper()
    return name[:3].upper()
