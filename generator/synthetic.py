"""Seeded synthetic incident datasets in the ``incidents/`` record format.

    python -m generator.synthetic N DIR [--seed S]

writes DIR/towns.yaml, DIR/groups.yaml and DIR/<year>/<id>.yaml for N
incidents. The same N and seed always give byte-identical files. Places,
groups and publishers are invented (publishers live under the reserved
``.example`` domain), so a generated tree is never mistaken for real data.

The YAML is written by hand, not with a dumper: it is several times faster,
keys keep the order of the format, every date is double-quoted and any text
that a YAML 1.1 loader could read as something other than a string is
quoted too. Standard library only, no other project imports.

With ``--prose FILE`` (a text, one passage a line), each summary is its opening sentence
followed by passages of that text, taken in order from a place the seed chooses, instead of
sentences made from short word lists: natural prose, with its rare words and names, for
measuring search (``benchmarks/quality.py`` uses the King James Version of the Bible).

With ``--history EDITS``, DIR becomes a git repository whose history has the shape of a real
one: the records added in HISTORY_COMMITS commits, then EDITS commits that each change one
field (the summary or a casualty count) of one record; the files on disk are the last
commit's. It is written by one ``git fast-import``, not a ``git commit`` per edit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import random
import re
import subprocess
import sys

FIRST_YEAR, LAST_YEAR = 2011, 2024
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
LAT_RANGE, LON_RANGE = (32.35, 37.25), (35.75, 42.35)  # inside Syria's box

# name, centre lat, centre lon, spread (degrees), weight, districts
PROVINCES = [
    (
        "Aleppo",
        36.20,
        37.30,
        0.45,
        16,
        ["Mount Simeon", "Azaz", "al-Bab", "Manbij", "Afrin", "Jarabulus", "al-Safira", "Atarib"],
    ),
    ("Idlib", 35.85, 36.60, 0.30, 14, ["Idlib", "Ariha", "Jisr al-Shughur", "Maarrat al-Numan", "Harem"]),
    ("Hama", 35.15, 36.80, 0.35, 9, ["Hama", "Salamiyah", "al-Suqaylabiyah", "Masyaf", "Muhradah"]),
    (
        "Homs",
        34.70,
        37.20,
        0.50,
        8,
        ["Homs", "al-Rastan", "Talkalakh", "al-Qusayr", "al-Mukharram", "Tadmur"],
    ),
    ("Latakia", 35.60, 35.98, 0.20, 4, ["Latakia", "Jableh", "al-Haffah", "al-Qardahah"]),
    ("Tartus", 34.95, 36.05, 0.15, 2, ["Tartus", "Baniyas", "Safita", "Duraykish"]),
    ("Damascus", 33.51, 36.29, 0.04, 5, ["Damascus"]),
    (
        "Rif Dimashq",
        33.55,
        36.55,
        0.35,
        10,
        ["Douma", "al-Tall", "Qatana", "Yabroud", "al-Nabek", "Darayya", "al-Zabadani"],
    ),
    ("Daraa", 32.78, 36.15, 0.20, 8, ["Daraa", "Izra", "al-Sanamayn"]),
    ("Quneitra", 33.08, 35.90, 0.10, 2, ["Quneitra"]),
    ("As-Suwayda", 32.72, 36.65, 0.20, 3, ["As-Suwayda", "Salkhad", "Shahba"]),
    ("Deir ez-Zor", 35.10, 40.30, 0.45, 9, ["Deir ez-Zor", "al-Mayadin", "Abu Kamal"]),
    ("Raqqa", 35.90, 38.90, 0.40, 6, ["Raqqa", "al-Thawrah", "Tell Abyad"]),
    ("Al-Hasakah", 36.55, 40.90, 0.45, 6, ["al-Hasakah", "Qamishli", "al-Malikiyah", "Ras al-Ayn"]),
]
# (English, Arabic, other spellings)
PREFIXES = [
    ("", "", []),
    ("Tal", "تل", ["Tell", "Tel"]),
    ("Kafr", "كفر", ["Kfar", "Kafar"]),
    ("Deir", "دير", ["Dayr", "Der"]),
    ("Ain", "عين", ["Ayn", "Ein"]),
    ("Khirbet", "خربة", ["Khirbat"]),
    ("Umm", "أم", ["Um", "Om"]),
    ("Maarat", "معرة", ["Maarrat", "Maaret"]),
    ("Beit", "بيت", ["Bayt"]),
    ("Bir", "بئر", ["Beer"]),
    ("Jisr", "جسر", ["Jesr"]),
    ("Ras", "رأس", ["Raas"]),
    ("Qasr", "قصر", ["Kasr"]),
]
STEMS = [
    ("Nabuda", "نبودة"),
    ("Hamra", "الحمرا"),
    ("Sultan", "السلطان"),
    ("Jadida", "الجديدة"),
    ("Zaytun", "الزيتون"),
    ("Karama", "الكرامة"),
    ("Shamsin", "شمسين"),
    ("Balat", "بلاط"),
    ("Nasr", "النصر"),
    ("Rummana", "الرمانة"),
    ("Hajar", "الحجر"),
    ("Saqiya", "الساقية"),
    ("Jabal", "الجبل"),
    ("Tuta", "التوتة"),
    ("Hawa", "الهوى"),
    ("Dibs", "الدبس"),
    ("Qarmin", "قرمين"),
    ("Nahla", "النحلة"),
    ("Safsaf", "الصفصاف"),
    ("Bustan", "البستان"),
    ("Marj", "المرج"),
    ("Shuhada", "الشهداء"),
    ("Warda", "الوردة"),
    ("Tina", "التينة"),
    ("Kurum", "الكروم"),
    ("Sawda", "السوداء"),
    ("Bayda", "البيضاء"),
    ("Qubba", "القبة"),
    ("Rihan", "الريحان"),
    ("Sindiyan", "السنديان"),
    ("Hisn", "الحصن"),
    ("Mazraa", "المزرعة"),
    ("Jawz", "الجوز"),
    ("Ghazal", "الغزال"),
    ("Nur", "النور"),
    ("Khan", "الخان"),
    ("Hammam", "الحمام"),
    ("Dabbus", "دبوس"),
    ("Sukkar", "السكر"),
    ("Tuffah", "التفاح"),
    ("Sabil", "السبيل"),
    ("Wadi", "الوادي"),
    ("Fawwar", "الفوار"),
    ("Jubb", "الجب"),
    ("Mansura", "المنصورة"),
    ("Arbain", "الأربعين"),
    ("Zahra", "الزهراء"),
    ("Shajara", "الشجرة"),
    ("Hilal", "الهلال"),
    ("Qantara", "القنطرة"),
]
QUALIFIERS = [
    ("", ""),
    (" al-Kabir", " الكبير"),
    (" al-Saghir", " الصغير"),
    (" al-Sharqi", " الشرقي"),
    (" al-Gharbi", " الغربي"),
    (" al-Shamali", " الشمالي"),
    (" al-Janubi", " الجنوبي"),
    (" al-Fawqani", " الفوقاني"),
    (" al-Tahtani", " التحتاني"),
    (" al-Jadid", " الجديد"),
    (" al-Qadim", " القديم"),
]
# group names: (English, Arabic, transliteration)
G_ADJ = [
    ("Northern", "الشمال", "al-Shamal", "the North"),
    ("Eastern", "الشرق", "al-Sharq", "the East"),
    ("Southern", "الجنوب", "al-Janub", "the South"),
    ("Western", "الغرب", "al-Gharb", "the West"),
    ("Euphrates", "الفرات", "al-Furat", "the Euphrates"),
    ("Orontes", "العاصي", "al-Asi", "the Orontes"),
    ("Desert", "البادية", "al-Badiya", "the Desert"),
    ("Mountain", "الجبل", "al-Jabal", "the Mountain"),
    ("Coastal", "الساحل", "al-Sahil", "the Coast"),
    ("Valley", "الوادي", "al-Wadi", "the Valley"),
    ("Plain", "السهل", "al-Sahl", "the Plain"),
    ("Citadel", "القلعة", "al-Qalaa", "the Citadel"),
]
G_NOUN = [
    ("Falcons", "صقور", "Suqur"),
    ("Lions", "أسود", "Usud"),
    ("Eagles", "نسور", "Nusur"),
    ("Knights", "فرسان", "Fursan"),
    ("Guardians", "حماة", "Humat"),
    ("Sons", "أبناء", "Abna"),
    ("Free Men", "أحرار", "Ahrar"),
    ("Thunder", "رعد", "Raad"),
    ("Storm", "عاصفة", "Asifat"),
    ("Shield", "درع", "Dir"),
    ("Dawn", "فجر", "Fajr"),
    ("Banner", "راية", "Rayat"),
]
G_UNIT = [
    ("Brigade", "لواء", "Liwa"),
    ("Battalion", "كتيبة", "Katibat"),
    ("Division", "فرقة", "Firqat"),
    ("Front", "جبهة", "Jabhat"),
    ("Movement", "حركة", "Harakat"),
    ("Army", "جيش", "Jaysh"),
    ("Legion", "فيلق", "Faylaq"),
    ("Regiment", "فوج", "Fawj"),
    ("Gathering", "تجمع", "Tajammu"),
    ("Forces", "قوات", "Quwwat"),
]
G_KIND = [
    "an armed opposition faction",
    "a local militia",
    "a jihadist group",
    "a pro-government militia",
    "a tribal force",
    "a Kurdish-led force",
    "a coalition of rebel battalions",
    "a police and security force",
]
PUBLISHERS = [
    "Aleppo Monitor",
    "Syria Field Report",
    "Orontes News",
    "Euphrates Post",
    "Levant Wire",
    "Idlib Dispatch",
    "Northern Syria Observer",
    "Damascus Daily Brief",
    "Hawran Voice",
    "Coastal Gazette",
    "Jazira Times",
    "Badia Bulletin",
    "Middle East Ledger",
    "Conflict Casualty Monitor",
    "Rights Watch Syria",
    "Civil Defence Log",
    "Eastern Desert Network",
    "Qalamoun Notes",
    "Homs Chronicle",
    "Raqqa Record",
    "Deir Press Agency",
    "Southern Front Media",
    "Hama Herald",
    "Free Radio Halab",
]
TYPES = ["battle", "explosion", "violence-against-civilians", "protest", "riot", "strategic-development"]
TYPE_WEIGHTS = [30, 25, 18, 12, 5, 10]
TAGS = {
    "battle": ["ambush", "sniper", "tunnel", "front-line", "offensive", "counter-attack", "siege"],
    "explosion": [
        "car-bomb",
        "suicide-attack",
        "airstrike",
        "barrel-bomb",
        "shelling",
        "ied",
        "landmine",
        "drone",
    ],
    "violence-against-civilians": ["abduction", "execution", "arrest", "looting", "checkpoint", "torture"],
    "protest": ["demonstration", "sit-in", "strike", "students", "women"],
    "riot": ["arson", "mob-violence", "prison", "looting"],
    "strategic-development": [
        "truce",
        "evacuation",
        "prisoner-exchange",
        "withdrawal",
        "statement",
        "merger",
    ],
}
WHO_CIVIL = [
    "residents",
    "local activists",
    "medical sources",
    "a local council member",
    "witnesses",
    "rescue workers",
    "a teacher from the town",
    "displaced families",
]
DEVICE = [
    "car bomb",
    "roadside bomb",
    "motorcycle rigged with explosives",
    "mortar round",
    "landmine",
    "barrel bomb",
    "rocket",
]
PLACE = [
    "near the main market",
    "at a checkpoint",
    "outside a mosque",
    "beside the bakery",
    "on the ring road",
    "near the bus station",
    "close to a school",
]
DAMAGE = [
    "damage to dozens of homes",
    "a destroyed water station",
    "burnt-out shops in the market",
    "a collapsed school wall",
    "craters along the main road",
    "cuts to power and water",
]
CLAIM = [
    "taken full control of the area",
    "repelled the attack",
    "killed a field commander of its rival",
    "seized weapons and ammunition",
    "pulled back to protect civilians",
    "captured several fighters",
]
GRIEVANCE = [
    "arbitrary arrests",
    "rising bread prices",
    "the closure of the crossing",
    "forced conscription",
    "power cuts",
    "checkpoint abuses",
    "the detention of a local activist",
]
DEVELOPMENT = [
    "a ceasefire with",
    "the exchange of prisoners with",
    "a withdrawal agreement with",
    "a merger with",
    "a joint operations room with",
    "the handover of checkpoints to",
]
ACCUSATION = [
    "shelling civilian homes",
    "breaking the truce",
    "using residents as human shields",
    "arresting activists",
    "blocking aid convoys",
]
CALM = [
    "a local ceasefire",
    "an exchange of prisoners",
    "a withdrawal agreement",
    "the reopening of the crossing",
    "talks between local notables",
    "the last round of fighting",
]
HEADLINES = {
    "battle": [
        (
            "Clashes between {g1} and {g2} near {t1}",
            "{when}, fighters of {G1} and {g2} clashed on the outskirts of {T1}.",
        ),
        (
            "{g1} attacks positions of {g2} around {t1}",
            "{when}, {G1} launched an assault on positions held by {g2} around {T1}.",
        ),
        (
            "Heavy fighting on the {t1} front",
            "{when}, heavy fighting broke out between {G1} and {g2} at {T1}.",
        ),
    ],
    "explosion": [
        ("{Device} explodes in {t1}", "{when}, a {device} went off {place} in {T1}."),
        (
            "Shelling hits residential areas of {t1}",
            "{when}, shells fell on residential areas of {T1}; residents blamed {G1}.",
        ),
        (
            "Air strikes on {t1} and surrounding villages",
            "{when}, aircraft carried out a series of strikes on {T1} and the villages around it.",
        ),
    ],
    "violence-against-civilians": [
        (
            "{g1} accused of killing civilians in {t1}",
            "{when}, {G1} was accused of killing unarmed civilians during a raid on {T1}.",
        ),
        (
            "Residents detained in raid on {t1}",
            "{when}, gunmen linked to {G1} raided {T1} and took away several residents.",
        ),
        (
            "Abductions reported in {t1}",
            "{when}, families in {T1} said relatives had been abducted at a checkpoint run by {G1}.",
        ),
    ],
    "protest": [
        (
            "Residents of {t1} protest against {grievance}",
            "{when}, hundreds of people in {T1} marched to protest against {grievance}.",
        ),
        (
            "Demonstration in {t1}",
            "{when}, residents of {T1} gathered in the main square to denounce {grievance}.",
        ),
    ],
    "riot": [
        (
            "Crowd storms council building in {t1}",
            "{when}, an angry crowd in {T1} set fire to tyres and stormed the local council building.",
        ),
        (
            "Unrest in {t1} after {grievance}",
            "{when}, unrest over {grievance} broke out in {T1}, and {G1} fired into the air to disperse it.",
        ),
    ],
    "strategic-development": [
        (
            "{g1} announces {development} {g2} in {t1}",
            "{when}, {G1} announced {development} {g2} covering {T1}.",
        ),
        (
            "{g1} withdraws from positions around {t1}",
            "{when}, {G1} pulled its fighters out of positions around {T1}.",
        ),
    ],
}
CONTROL_HEADLINE = (
    "{to} captures {town} from {frm}",
    "{when}, {to} took control of {town} from {frm} after a day of fighting.",
)
RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}
PLAIN = re.compile(r"[A-Za-z\u0600-\u06ff][A-Za-z0-9\u0600-\u06ff ,.'()/-]*[A-Za-z0-9\u0600-\u06ff.')]")
URL = re.compile(r"https?://[A-Za-z0-9./_~%:-]+")
HISTORY_COMMITS = 100  # that add the records, before the edits
HISTORY_START = 1_704_067_200  # 2024-01-01T00:00:00Z, the first commit's date; an hour between commits


def write_dataset(root: pathlib.Path, incidents: int, seed: int = 0, prose: list[str] | None = None) -> None:
    """Write towns.yaml, groups.yaml and <year>/<id>.yaml for `incidents` incidents into root.

    Give a new or empty folder: files already in it are left alone, not removed. With `prose`
    (passages of a text), summaries are made of it, in its order (see the module's text).
    """
    rng = random.Random(seed)
    passages = _Passages(prose, seed) if prose else None
    root = pathlib.Path(root)
    root.mkdir(parents=True, exist_ok=True)
    towns = _towns(rng, max(1, incidents // 10))
    groups = _groups(rng, max(5, incidents // 200))
    _write(root / "towns.yaml", _registry_yaml("towns", towns))
    _write(root / "groups.yaml", _registry_yaml("groups", groups))
    town_ids, group_ids = list(towns), list(groups)
    made: set[int] = set()
    used: set[tuple[str, str, str]] = set()  # (date, town, group) already recorded
    for n in range(1, incidents + 1):
        inc_id, year, text = _incident(rng, n, towns, town_ids, groups, group_ids, used, passages)
        folder = root / str(year)
        if year not in made:
            folder.mkdir(exist_ok=True)
            made.add(year)
        _write(folder / f"{inc_id}.yaml", text)


# ---------------------------------------------------------------- git history


def write_history(root: pathlib.Path, edits: int, seed: int = 0) -> None:
    """Make `root`, a dataset write_dataset wrote (and no repository yet), a git repository: its
    records added in HISTORY_COMMITS commits, then `edits` single-record edits, each a commit.
    The same files, edits and seed always give the same commits (dates and names are fixed)."""
    root = pathlib.Path(root)
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))
    texts = {path: (root / path).read_text(encoding="utf-8") for path in paths}
    records = [path for path in paths if "/" in path]
    rng, stream, changed = random.Random(f"history {seed}"), bytearray(), set()
    batches = min(HISTORY_COMMITS, len(paths))
    for n in range(batches):
        batch = paths[n * len(paths) // batches : (n + 1) * len(paths) // batches]
        _commit(stream, n, f"Add {len(batch)} records", {path: texts[path] for path in batch})
    for n in range(edits if records else 0):
        path = rng.choice(records)
        texts[path], field = _edited(rng, texts[path], n + 1)
        changed.add(path)
        name = pathlib.PurePosixPath(path).stem
        _commit(stream, batches + n, f"Correct the {field} of {name}", {path: texts[path]})
    for path in sorted(changed):
        _write(root / path, texts[path])
    _git(root, "init", "-q")
    _git(root, "fast-import", "--quiet", stdin=bytes(stream))
    _git(root, "symbolic-ref", "HEAD", "refs/heads/main")
    _git(root, "reset", "-q")  # the index, so that `git status` finds the files as committed


def _commit(stream: bytearray, n: int, subject: str, files: dict[str, str]) -> None:
    stamp = HISTORY_START + 3600 * n
    message = subject.encode()
    stream += b"commit refs/heads/main\n"
    stream += f"committer Synthetic <synthetic@example.org> {stamp} +0000\n".encode()
    stream += b"data %d\n%s\n" % (len(message), message)
    for path, text in files.items():
        data = text.encode("utf-8")
        stream += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)


def _edited(rng: random.Random, text: str, n: int) -> tuple[str, str]:
    """The record with one field changed (a casualty count, else the summary), and its name."""
    lines = text.split("\n")
    counts = [i for i, line in enumerate(lines) if line.startswith(("    killed: ", "    injured: "))]
    if counts and rng.random() < 0.5:
        at = rng.choice(counts)
        key, value = lines[at].split(": ")
        lines[at] = f"{key}: {int(value) + 1}"
        return "\n".join(lines), "casualties"
    start = lines.index("summary: |")
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith("  "))
    lines.insert(end, f"  The account was checked against the sources again (correction {n}).")
    return "\n".join(lines), "summary"


def _git(root: pathlib.Path, *args: str, stdin: bytes | None = None) -> None:
    quiet = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}
    subprocess.run(["git", *args], cwd=root, input=stdin, env=quiet, check=True, capture_output=True)


# ---------------------------------------------------------------- registries


def _towns(rng: random.Random, count: int) -> dict[str, dict]:
    """Towns with distinct names and aliases (the validator rejects look-alikes)."""
    towns: dict[str, dict] = {}
    weights = [p[4] for p in PROVINCES]
    for pre, stem, qual, round_ in _combos(rng, count, PREFIXES, STEMS, QUALIFIERS):
        prov, lat0, lon0, spread, _w, districts = rng.choices(PROVINCES, weights)[0]
        tail = f"{qual[0]}{_numbered(round_)}"
        name = f"{pre[0]} {stem[0]}{tail}".strip()
        town = {
            "name": name,
            "province": prov,
            "lat": _clamp(lat0 + rng.uniform(-spread, spread), LAT_RANGE),
            "lon": _clamp(lon0 + rng.uniform(-spread, spread), LON_RANGE),
        }
        if rng.random() < 0.7:
            town["district"] = rng.choice(districts)
        if rng.random() < 0.8:
            town["name_ar"] = f"{pre[1]} {stem[1]}{qual[1]}{_numbered(round_)}".strip()
        aliases = [f"{alt} {stem[0]}{tail}" for alt in pre[2][: rng.randint(0, 2)]]
        if rng.random() < 0.3:
            aliases.append(f"{pre[0]} al-{stem[0]}{tail}".strip())
        if aliases:
            town["aliases"] = aliases
        towns[_unique(_slug(name), towns)] = town
    return towns


def _groups(rng: random.Random, count: int) -> dict[str, dict]:
    """Groups with distinct names and aliases, some of them part of an earlier group."""
    groups: dict[str, dict] = {}
    for adj, noun, unit, round_ in _combos(rng, count, G_ADJ, G_NOUN, G_UNIT):
        num = _numbered(round_)
        name = f"{adj[0]} {noun[0]} {unit[0]}{num}"
        group = {"name": name}
        if rng.random() < 0.6:
            group["short"] = "".join(w[0] for w in name.split() if w[0].isupper()) + num
        group["name_ar"] = f"{unit[1]} {noun[1]} {adj[1]}{num}"
        group["aliases"] = [f"{unit[2]} {noun[2]} {adj[2]}{num}"]
        if rng.random() < 0.4:
            group["aliases"].append(f"{unit[0]} of the {noun[0]} of {adj[3]}{num}")
        if rng.random() < 0.7:
            group["description"] = (
                f"{name} is {rng.choice(G_KIND)} active in the "
                f"{rng.choice(PROVINCES)[0]} countryside since {rng.randint(2011, 2020)}."
            )
        if groups and rng.random() < 0.2:
            group["parent"] = rng.choice(list(groups)[-50:])
        groups[_unique(_slug(name), groups)] = group
    return groups


def _combos(rng: random.Random, count: int, *parts: list):
    """`count` distinct picks of one item from each part, with a round number once all are used."""
    every = [(a, b, c) for a in parts[0] for b in parts[1] for c in parts[2]]
    round_ = 0
    while count > 0:
        round_ += 1
        # weighted sampling without replacement: an empty last part (no qualifier) is 4x as likely
        keys = [rng.random() ** (0.25 if not combo[2][0] else 1.0) for combo in every]
        order = sorted(range(len(every)), key=keys.__getitem__, reverse=True)
        picks = [every[i] for i in order[:count]]
        count -= len(picks)
        for a, b, c in picks:
            yield a, b, c, round_


def _numbered(round_: int) -> str:
    return "" if round_ == 1 else f" {round_}"


def _registry_yaml(kind: str, items: dict[str, dict]) -> str:
    out = [f"# Synthetic {kind} registry (generator/synthetic.py); invented names.", ""]
    for key, fields in items.items():
        out.append(f"{key}:")
        for field, value in fields.items():
            if field in ("lat", "lon"):
                out.append(f"  {field}: {value:.4f}")
            elif isinstance(value, list):
                out.append(f"  {field}:")
                out.extend(f"    - {_s(v)}" for v in value)
            else:
                out.append(f"  {field}: {_s(value)}")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- incidents


class _Passages:
    """The passages of a text in order, from a place the seed chooses, round again at its end."""

    def __init__(self, passages: list[str], seed: int):
        self.passages = [" ".join(p.split()) for p in passages if p.strip()]
        self.at = random.Random(f"prose {seed}").randrange(len(self.passages))

    def take(self, size: int) -> list[str]:
        """Passages in order until they make at least `size` characters (one at least)."""
        taken: list[str] = []
        while not taken or sum(len(p) + 1 for p in taken) < size:
            taken.append(self.passages[self.at])
            self.at = (self.at + 1) % len(self.passages)
        return taken


def _incident(rng, n, towns, town_ids, groups, group_ids, used, passages=None) -> tuple[str, int, str]:
    day, date, t_ids, g_ids = _pick(rng, town_ids, group_ids, used)
    kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
    control = None
    if len(g_ids) > 1 and rng.random() < {"battle": 0.25, "strategic-development": 0.15}.get(kind, 0):
        control = (rng.choice(t_ids), *rng.sample(g_ids, 2))
    tn = [towns[t]["name"] for t in t_ids]
    gn = [groups[g].get("short") or groups[g]["name"] for g in g_ids]
    title, opener = _headline(
        rng,
        kind,
        date,
        tn,
        gn,
        control and (towns[control[0]]["name"], groups[control[1]]["name"], groups[control[2]]["name"]),
    )
    sources = _sources(rng, day, date, title)
    slug = _slug(title)[: 100 - len(date) - len(str(n)) - 2].strip("-")
    inc_id = f"{date}-{slug}-{n}"

    out = [f"title: {_s(title)}", f'date: "{date}"']
    if len(date) == 10 and rng.random() < 0.1:
        end = min(day + dt.timedelta(days=rng.randint(1, 6)), LAST_DAY)
        if end > day:
            out.append(f'end_date: "{end.isoformat()}"')
    out.append(f"type: {kind}")
    out += ["towns:"] + [f"  - {t}" for t in t_ids] + ["groups:"] + [f"  - {g}" for g in g_ids]
    out += ["summary: |"] + (
        _prose(rng, opener, passages) if passages else _summary(rng, opener, tn, gn, sources)
    )
    out += _casualties(rng, kind, g_ids, [s["publisher"] for s in sources])
    if control:
        out += ["control:", f"  town: {control[0]}", f"  from: {control[1]}", f"  to: {control[2]}"]
    tags = rng.sample(TAGS[kind], rng.choice((0, 1, 1, 2, 3)))
    if tags:
        out += ["tags:"] + [f"  - {t}" for t in tags]
    out.append("sources:")
    for src in sources:
        out.append(f"  - publisher: {_s(src['publisher'])}")
        out += [
            f"    {k}: " + (f'"{v}"' if k == "published" else _s(v))
            for k, v in src.items()
            if k != "publisher"
        ]
    if rng.random() < 0.02:
        out += ["redirect_from:", f'  - "{date}-{slug[:60].strip("-")}-r{n}"']
    return inc_id, day.year, "\n".join(out) + "\n"


def _pick(rng, town_ids, group_ids, used):
    """Date, towns and groups; avoids the same date, town and group twice (a likely duplicate)."""
    for _attempt in range(20):
        day = dt.date(rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28))
        day += dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))  # reach the 29th-31st now and then
        roll = rng.random()
        date = day.isoformat() if roll < 0.85 else day.isoformat()[:7] if roll < 0.95 else str(day.year)
        t_ids = rng.sample(town_ids, min(len(town_ids), rng.choice((1, 1, 1, 2, 2, 3))))
        g_ids = rng.sample(group_ids, rng.choice((1, 2, 2, 2, 3)))
        keys = {(date, t, g) for t in t_ids for g in g_ids}
        if not keys & used:
            break
    used |= keys
    return day, date, t_ids, g_ids


def _headline(rng, kind, date, tn, gn, control) -> tuple[str, str]:
    """A title and the summary's first sentence, telling the same story."""
    fallback = "rival factions" if kind == "strategic-development" else "unidentified gunmen"
    device = rng.choice(DEVICE)
    names = {
        "when": _when(date),
        "t1": tn[0],
        "g1": gn[0],
        "g2": gn[1] if len(gn) > 1 else fallback,
        "T1": f"**{tn[0]}**" if rng.random() < 0.2 else tn[0],  # Markdown emphasis now and then
        "G1": f"*{gn[0]}*" if rng.random() < 0.1 else gn[0],
        "device": device,
        "Device": device[0].upper() + device[1:],
        "place": rng.choice(PLACE),
        "grievance": rng.choice(GRIEVANCE),
        "development": rng.choice(DEVELOPMENT),
    }
    if control:
        names.update(town=control[0], frm=control[1], to=control[2])
        title, opener = CONTROL_HEADLINE
    else:
        title, opener = rng.choice(HEADLINES[kind])
    title = title.format(**names)
    if len(title) > 160:
        title = title[:157].rsplit(" ", 1)[0] + "..."
    return title, opener.format(**names)


def _sources(rng, day, date, title) -> list[dict]:
    sources = []
    period_end = (
        day if len(date) == 10 else (_month_end(day) if len(date) == 7 else dt.date(day.year, 12, 31))
    )
    for pub in rng.sample(PUBLISHERS, rng.choice((1, 1, 2, 2, 3))):
        host = _slug(pub) + ".example"
        url = f"https://{host}/{day.year}/{day.month:02d}/{_slug(title)[:60].strip('-')}-{rng.randint(100, 99999)}"
        src = {"publisher": pub, "url": url}
        if rng.random() < 0.7:
            src["title"] = rng.choice((title, title, f"{title}: {pub} report", f"Update: {title}"))
        if rng.random() < 0.8:
            src["published"] = min(period_end + dt.timedelta(days=rng.randint(0, 4)), LAST_DAY).isoformat()
        if rng.random() < 0.1:
            src["archive_url"] = f"https://archive.example/web/{day:%Y%m%d}000000/{url}"
        sources.append(src)
    return sources


def _summary(rng, opener, tn, gn, sources) -> list[str]:
    t2 = tn[-1] if len(tn) > 1 else "the neighbouring villages"
    g2 = gn[1] if len(gn) > 1 else "rival fighters"
    pool = [
        lambda: (
            f"{rng.choice(WHO_CIVIL).capitalize()} said the {rng.choice(('fighting', 'bombardment', 'tension'))} "
            f"lasted for several hours and pushed families towards {t2}."
        ),
        lambda: f"Residents reported {rng.choice(DAMAGE)}.",
        lambda: (
            f"{gn[0]} said in a statement that it had {rng.choice(CLAIM)}."
            + (
                f" {g2[0].upper() + g2[1:]} denied this and accused it of {rng.choice(ACCUSATION)}."
                if rng.random() < 0.5
                else ""
            )
        ),
        lambda: (
            f"Medical sources in {tn[0]} said the local field hospital ran short of blood and painkillers."
        ),
        lambda: f"The road between {tn[0]} and {t2} was closed for most of the day.",
        lambda: "Casualty figures differed between sources and could not be independently verified.",
        lambda: f"The area had been relatively calm since {rng.choice(CALM)} earlier in the year.",
        lambda: (
            f"Humanitarian groups warned that {rng.choice(DAMAGE)} would slow the return of displaced families."
        ),
        lambda: f"Footage shared online appeared to show {rng.choice(DAMAGE)} in {tn[-1]}.",
    ]
    if rng.random() < 0.15:  # now and then a Markdown link to the first source
        src = sources[0]
        pool.append(
            lambda: (
                f"According to [a report by {src['publisher']}]({src['url']}), "
                f"{rng.choice(WHO_CIVIL)} described {rng.choice(DAMAGE)}."
            )
        )
    rng.shuffle(pool)
    target, sentences, size = rng.randint(400, 900), [opener], len(opener)
    while size < target and pool:
        extra = pool.pop()()
        if size + len(extra) + 1 > 895 and size >= 400:
            break
        sentences.append(extra)
        size += len(extra) + 1
    cut = rng.randint(2, len(sentences) - 1) if len(sentences) > 3 and rng.random() < 0.5 else len(sentences)
    paras = [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    lines: list[str] = []
    for para in filter(None, paras):
        if lines:
            lines.append("")
        lines += ["  " + line for line in _wrap(para, 76)]
    return lines


def _prose(rng, opener: str, passages: _Passages) -> list[str]:
    """The opening sentence, then passages of the text: 400 to 900 characters in all, as the
    summaries made of word lists, in one paragraph or two."""
    target = rng.randint(400, 900)
    taken = passages.take(target - len(opener) - 1)
    cut = rng.randint(1, len(taken)) if len(taken) > 1 and rng.random() < 0.5 else len(taken)
    lines: list[str] = []
    for para in filter(None, [" ".join([opener, *taken[:cut]]), " ".join(taken[cut:])]):
        if lines:
            lines.append("")
        lines += ["  " + line for line in _wrap(para, 76)]
    return lines


def _casualties(rng, kind, g_ids, publishers) -> list[str]:
    who = g_ids + ["civilians"] * (3 if kind in ("explosion", "violence-against-civilians") else 1)
    reports: list[tuple[str, str]] = []
    for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 2, 3))):
        if reports and len(publishers) > 1 and rng.random() < 0.3:  # a second, conflicting count
            group = reports[0][0]
        else:
            group = rng.choice(who)
        free = [p for p in publishers if (group, p) not in reports]
        if free:
            reports.append((group, rng.choice(free)))
    out = ["casualties:"] if reports else []
    for group, pub in reports:
        out.append(f"  - group: {group}")
        killed = rng.random() < 0.75
        if killed:
            out.append(f"    killed: {int(rng.expovariate(1 / 9))}")
        if not killed or rng.random() < 0.5:
            out.append(f"    injured: {int(rng.expovariate(1 / 15))}")
        out.append(f"    according_to: {_s(pub)}")
    return out


# ---------------------------------------------------------------- helpers


def _when(date: str) -> str:
    if len(date) == 4:
        return f"At an unknown date in {date}"
    day = dt.date.fromisoformat(date if len(date) == 10 else date + "-01")
    return f"On {day.day} {day:%B %Y}" if len(date) == 10 else f"In {day:%B %Y}"


def _month_end(day: dt.date) -> dt.date:
    nxt = day.replace(day=28) + dt.timedelta(days=4)
    return nxt - dt.timedelta(days=nxt.day)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _unique(base: str, taken: dict) -> str:
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return min(max(value, bounds[0]), bounds[1])


def _s(text: str) -> str:
    """Text as a YAML scalar: plain when unambiguous, else double-quoted."""
    if (PLAIN.fullmatch(text) or URL.fullmatch(text)) and text.lower() not in RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _write(path: pathlib.Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.synthetic", description="Write a seeded synthetic incident dataset."
    )
    parser.add_argument("incidents", type=int, metavar="N", help="number of incidents")
    parser.add_argument("root", type=pathlib.Path, metavar="DIR", help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--prose", type=pathlib.Path, metavar="FILE", help="a text, one passage a line, to make summaries of"
    )
    parser.add_argument(
        "--history",
        type=int,
        metavar="EDITS",
        help="make DIR a git repository with EDITS single-record edits",
    )
    args = parser.parse_args(argv)
    if args.incidents < 0:
        parser.error("N must be >= 0")
    prose = args.prose.read_text(encoding="utf-8").splitlines() if args.prose else None
    if prose is not None and not any(line.strip() for line in prose):
        parser.error(f"{args.prose} has no text")
    write_dataset(args.root, args.incidents, args.seed, prose)
    if args.history is not None:
        write_history(args.root, args.history, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
