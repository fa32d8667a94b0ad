# SPDX-License-Identifier: MIT
"""bench/bugs/ID.patch headers and their proofs of concept."""
import os
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUGS = os.path.join(ROOT, "bench", "bugs")

# Header keys, in the order a patch writes them (docs/bugbench.md).
KEYS = ["Bug", "Origin", "Source", "Device", "Target", "Class", "Tier", "Crash",
        "Cause", "Plant"]
OPTIONAL = ["Collides"]
TIERS = ["easy", "medium", "hard"]


class PlantError(Exception):
    def __init__(self, msg, plant=None):
        super().__init__(msg)
        self.plant = plant      # the plant at fault, when there is one


@dataclass
class Plant:
    id: str
    origin: str
    source: str
    device: str
    target: str
    klass: str
    tier: str
    crash: str          # phrases of the sanitizer's ERROR line, or "hang"
    cause: str
    plant: str
    patch: str          # paths
    poc: str
    collides: list = field(default_factory=list)

    @property
    def hang(self):
        return self.crash == "hang"

    @property
    def crashes(self):
        """The Crash phrases: a bug may end in more than one way (an index
        just past an array, or far past it), each listed, comma-separated."""
        return [c.strip() for c in self.crash.split(",") if c.strip()]


def parse_header(text, path):
    """The Key: value lines before the diff; a value goes on over lines
    indented by two spaces. Ends at the first blank line."""
    fields, key = {}, None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        if line.startswith("  ") and key:
            fields[key] += " " + line.strip()
            continue
        k, sep, v = line.partition(":")
        if not sep or k not in KEYS + OPTIONAL:
            raise PlantError(f"{path}:{n}: not a header line (Key: value, keys {', '.join(KEYS)})")
        if k in fields:
            raise PlantError(f"{path}:{n}: {k} given twice")
        key, fields[k] = k, v.strip()
    missing = [k for k in KEYS if not fields.get(k)]
    if missing:
        raise PlantError(f"{path}: header lacks {', '.join(missing)}")
    return fields


def load(path):
    """The plant of bench/bugs/ID.patch (its PoC is ID.qtest beside it)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    h = parse_header(text, path)
    pid = os.path.basename(path)[:-len(".patch")]
    if h["Bug"] != pid:
        raise PlantError(f"{path}: Bug: {h['Bug']} is not the file's name {pid}")
    if h["Tier"] not in TIERS:
        raise PlantError(f"{path}: Tier: {h['Tier']} is not one of {', '.join(TIERS)}")
    if "\ndiff --git " not in text and "\n--- a/" not in text:
        raise PlantError(f"{path}: no diff after the header")
    poc = path[:-len(".patch")] + ".qtest"
    if not os.path.isfile(poc):
        raise PlantError(f"{path}: its proof of concept {poc} is missing")
    return Plant(id=pid, origin=h["Origin"], source=h["Source"], device=h["Device"],
                 target=h["Target"], klass=h["Class"], tier=h["Tier"], crash=h["Crash"],
                 cause=h["Cause"], plant=h["Plant"], patch=path, poc=poc,
                 collides=h.get("Collides", "").replace(",", " ").split())


def all_ids(bugs=BUGS):
    return sorted(f[:-6] for f in os.listdir(bugs) if f.endswith(".patch"))


def load_all(ids=None, bugs=BUGS):
    """The plants named (all when ids is None), in tier then name order.
    An unknown id is an error naming the known ones."""
    known = all_ids(bugs)
    ids = known if ids is None else list(ids)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise PlantError(f"unknown bug {', '.join(unknown)} (known: {', '.join(known)})")
    plants = [load(os.path.join(bugs, i + ".patch")) for i in ids]
    return sorted(plants, key=lambda p: (TIERS.index(p.tier), p.id))


def groups(plants):
    """Plants split into sets that can share one tree: a plant goes into the
    first set holding nothing it collides with (either way round)."""
    sets = []
    for p in plants:
        for s in sets:
            if not any(q.id in p.collides or p.id in q.collides for q in s):
                s.append(p)
                break
        else:
            sets.append([p])
    return sets
