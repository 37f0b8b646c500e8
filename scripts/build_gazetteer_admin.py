#!/usr/bin/env python
"""Regenerate the admin-area block of gazetteer/places.yaml.

The block between ``# BEGIN GENERATED ADMIN AREAS`` and ``# END GENERATED ADMIN AREAS``
holds Syria's 14 governorates, 62 districts and 272 subdistricts (from the OCHA-based
Open-Syria files in ../shared/geo/syria, read with claimx.gazetteer_import), the
countryside regions of each Syrian governorate (ريف X and its eight directions), and
Iraq's governorates, districts and a few subdistricts (curated from
../shared/geo/iraq/iraq_geo_output.json, see IRAQ_* below). Everything outside the markers
is hand-written and left untouched.

Naming rules (why: one surface form should name one entity wherever possible):
- an admin unit's ``name`` is its formal form: محافظة X, منطقة X (Syrian district),
  قضاء X (Iraqi district), ناحية X (subdistrict);
- the bare form X is an alias of the unit only if no hand-written place inside that unit
  uses it (the city of دير الزور takes "دير الزور"; the governorate keeps
  "محافظة دير الزور"), and only on the most specific unit that has it;
- bare forms that are ordinary Arabic words (الثورة، الباب، صور …) go to ``weak_aliases``.

Run from the repository root:  python scripts/build_gazetteer_admin.py [--check]
--check exits 1 if the file would change (use it in CI after editing the tables).
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimx.gazetteer_import import _NON_ARABIC_LETTERS, dump_yaml, import_iraq_admin, import_ocha_syria  # noqa: E402
from claimx.normalize import fold as _fold  # noqa: E402

fold = functools.lru_cache(maxsize=None)(_fold)

SHARED = ROOT.parent / "shared"
PLACES = ROOT / "gazetteer" / "places.yaml"
BEGIN = "  # BEGIN GENERATED ADMIN AREAS"
END = "  # END GENERATED ADMIN AREAS"

# ----------------------------------------------------------------------------- Syria tables

# Open-Syria governorate id -> our slug (default: the id without "sy-")
SY_GOV_SLUG = {"sy-al-hasakah": "hasakah", "sy-as-suwayda": "suwayda"}
# district slug (Open-Syria id minus governorate id) -> our slug
SY_DIST_SLUG = {"ar-raqqah": "raqqa", "as-suwayda": "suwayda", "al-hasakah": "hasakah"}
# subdistrict p-code -> our slug (default: slug of the English name; centres: the district's)
SY_SUBDIST_SLUG = {"SY080006": "al-hol", "SY020203": "al-rai"}

# Aliases in the source that name something else (a region, a common word, a city form).
SY_DROP_ALIASES = {
    "الغوطة الشرقية", "الغوطة الغربية", "ناحية الغوطة الشرقية", "ناحية الغوطة الغربية",  # regions
    "حرمون", "ناحية حرمون",  # Mount Hermon, not Beit Jinn subdistrict
    "السجن", "الحصان",  # "the prison", "the horse": old names that are common words
    "حيالين", "مركزها السقيلبية", "منطقة الغاب",  # Ghab is the plain (place/sy/ghab-plain)
    "ريف دمشق",  # the governorate, not Markaz Rif Dimashq district
    "مركز الحسكة", "مركز اللاذقية", "مركز القنيطرة", "مركز الرقة", "مركز السويداء", "مركز درعا",
    "مركز دير الزور", "مركز حماة", "مركز حمص",  # district aliases = the centre subdistrict's name
}
# Extra spellings seen in news (bare forms; formal forms are derived from them).
SY_EXTRA_BARE = {
    "SY09": ["ديرالزور"], "SY0901": ["ديرالزور"], "SY0902": ["البو كمال", "أبو كمال"],
    "SY11": ["الرقه"], "SY0206": ["كوباني"], "SY1103": ["الطبقة"], "SY0804": ["سري كانيه"],
    "SY0803": ["ديريك"], "SY0802": ["قامشلو"], "SY0503": ["السلمية"], "SY05": ["حماه"],
    "SY0403": ["تل كلخ"], "SY0702": ["المعرة"],
}
# Bare names that are ordinary Arabic words: a tagger should need a trigger word or context.
WEAK = {
    "الثورة", "الجلاء", "الكرامة", "الروضة", "الحاضر", "الشجرة", "المزرعة", "الكسرة", "التبني",
    "ملح", "صور", "الصور", "بنان", "سلوك", "صبورة", "الحمراء", "الزيارة", "الناصرة", "القبو",
    "الحديدة", "الدالية", "عوج", "شين", "البصيرة", "الباب", "التل", "السفيرة", "القصير",
    "الراعي", "الهول", "جاسم", "نوى", "تسيل", "الحراك", "بلبل", "نبل", "الحاجب", "معدان",
    "السبخة", "سوسة", "الضمير", "المليحة", "الكسوة", "الحجر الأسود", "الديماس", "كسب", "ربيعة",
    "هنادي", "الفاخورة", "الكريمة", "السودا", "الطواحين", "سبة", "مهين", "صدد", "مسعدة",
    "الحميدية", "المنصورة", "الحي", "المدينة", "الشعب", "الرشيد", "المنصور", "بلد", "الدور",
    "الحضر", "الخضر", "الدير", "صلاح الدين", "المثنى", "9 نيسان", "الزاب", "العلم", "حيش",
    "المعرة", "الطبقة", "الجيزة",
}

# ----------------------------------------------------------------------------- Iraq tables
# Curated from iraq_geo_output.json: duplicate provinces merged (Anbar/Al Anbar, Babylon/Babil,
# Thi Qar/Dhi Qar, Saladin/Salah al-Din, Duhok/Dohuk), Kurdish-orthography names respelled in
# Arabic letters, misplaced districts given their governorate, obvious errors fixed (the file
# gives Baladrooz the Arabic name of Baqubah, Muthanna repeats three Qadisiyah districts).
# A few districts the file lacks are added (Kirkuk, Hawija, Mahmudiya, Abu Ghraib, Tarmiyah,
# Mada'in, Erbil, Sulaymaniyah, Halabja, Chamchamal): flagged with a note.

IRAQ_GOVS = [  # slug, Arabic, English, extra bare aliases
    ("anbar", "الأنبار", "Anbar", []), ("baghdad", "بغداد", "Baghdad", []),
    ("babil", "بابل", "Babil", []), ("basra", "البصرة", "Basra", []),
    ("dhi-qar", "ذي قار", "Dhi Qar", []), ("diyala", "ديالى", "Diyala", []),
    ("duhok", "دهوك", "Duhok", []), ("erbil", "أربيل", "Erbil", ["هولير"]),
    ("halabja", "حلبجة", "Halabja", []), ("karbala", "كربلاء", "Karbala", []),
    ("kirkuk", "كركوك", "Kirkuk", []), ("maysan", "ميسان", "Maysan", []),
    ("muthanna", "المثنى", "Muthanna", []), ("najaf", "النجف", "Najaf", []),
    ("nineveh", "نينوى", "Nineveh", ["نينوي"]), ("qadisiyah", "القادسية", "Qadisiyah", ["الديوانية"]),
    ("salahuddin", "صلاح الدين", "Salah al-Din", []), ("sulaymaniyah", "السليمانية", "Sulaymaniyah", []),
    ("wasit", "واسط", "Wasit", []),
]
_ADDED = "not in iraq_geo_output.json; added from general knowledge of Iraq's districts"
IRAQ_DISTRICTS = [  # slug, governorate slug, Arabic, English, extra bare aliases, note
    ("ramadi", "anbar", "الرمادي", "Ramadi", [], None), ("fallujah", "anbar", "الفلوجة", "Fallujah", [], None),
    ("hit", "anbar", "هيت", "Hit", [], None), ("haditha", "anbar", "حديثة", "Haditha", [], None),
    ("anah", "anbar", "عانة", "Anah", [], None), ("rawa", "anbar", "راوة", "Rawa", [], None),
    ("al-qaim", "anbar", "القائم", "al-Qaim", [], None), ("rutba", "anbar", "الرطبة", "Rutba", [], None),
    ("adhamiyah", "baghdad", "الأعظمية", "Adhamiyah", [], None), ("rusafa", "baghdad", "الرصافة", "Rusafa", [], None),
    ("shaab", "baghdad", "الشعب", "Shaab", [], None), ("sadr-city", "baghdad", "مدينة الصدر", "Sadr City", ["الثورة"], None),
    ("9-nissan", "baghdad", "9 نيسان", "9 Nissan", [], None), ("karrada", "baghdad", "الكرادة", "Karrada", [], None),
    ("zafraniya", "baghdad", "الزعفرانية", "al-Zafraniya", [], None), ("karkh", "baghdad", "الكرخ", "Karkh", [], None),
    ("kadhimiya", "baghdad", "الكاظمية", "Kadhimiya", [], None), ("mansour", "baghdad", "المنصور", "Mansour", [], None),
    ("al-rashid", "baghdad", "الرشيد", "al-Rashid", [], None),
    ("mahmudiyah", "baghdad", "المحمودية", "Mahmudiyah", [], _ADDED), ("abu-ghraib", "baghdad", "أبو غريب", "Abu Ghraib", [], _ADDED),
    ("tarmiyah", "baghdad", "الطارمية", "Tarmiyah", [], _ADDED), ("madain", "baghdad", "المدائن", "Mada'in", [], _ADDED),
    ("hilla", "babil", "الحلة", "Hilla", [], None), ("mahawil", "babil", "المحاويل", "Mahawil", [], None),
    ("musayyib", "babil", "المسيب", "Musayyib", [], None), ("hashimiya", "babil", "الهاشمية", "Hashimiya", [], None),
    ("basra", "basra", "البصرة", "Basra", [], None), ("abu-al-khasib", "basra", "أبو الخصيب", "Abu al-Khasib", [], None),
    ("zubair", "basra", "الزبير", "Zubair", [], None), ("faw", "basra", "الفاو", "Faw", [], None),
    ("qurna", "basra", "القرنة", "Qurna", [], None), ("shatt-al-arab", "basra", "شط العرب", "Shatt al-Arab", [], None),
    ("madina", "basra", "المدينة", "al-Madina", [], None),
    ("al-dayr", "basra", "الدير", "al-Dayr", [], "the source's Arabic name الديار is a misspelling"),
    ("mosul", "nineveh", "الموصل", "Mosul", [], None), ("hamdaniya", "nineveh", "الحمدانية", "Hamdaniya", [], None),
    ("tal-afar", "nineveh", "تلعفر", "Tal Afar", ["تل عفر"], None), ("tel-kaif", "nineveh", "تلكيف", "Tel Kaif", ["تل كيف"], None),
    ("sinjar", "nineveh", "سنجار", "Sinjar", ["شنكال"], None), ("baaj", "nineveh", "البعاج", "al-Baaj", [], None),
    ("hatra", "nineveh", "الحضر", "Hatra", [], None),
    ("makhmur", "nineveh", "مخمور", "Makhmur", [], "the source lists it under both Nineveh and Erbil; administered from Erbil"),
    ("najaf", "najaf", "النجف", "Najaf", [], None), ("kufa", "najaf", "الكوفة", "Kufa", [], None),
    ("manathira", "najaf", "المناذرة", "al-Manathira", [], None), ("mishkhab", "najaf", "المشخاب", "al-Mishkhab", [], None),
    ("aziziya", "wasit", "العزيزية", "al-Aziziya", [], None), ("badra", "wasit", "بدرة", "Badra", [], None),
    ("al-hai", "wasit", "الحي", "al-Hai", [], None), ("kut", "wasit", "الكوت", "Kut", [], None),
    ("numaniya", "wasit", "النعمانية", "al-Numaniya", [], None), ("suwaira", "wasit", "الصويرة", "al-Suwaira", [], None),
    ("diwaniyah", "qadisiyah", "الديوانية", "Diwaniyah", [], None), ("afak", "qadisiyah", "عفك", "Afak", [], None),
    ("hamza", "qadisiyah", "الحمزة", "al-Hamza", [], None), ("shamiya", "qadisiyah", "الشامية", "al-Shamiya", [], None),
    ("amara", "maysan", "العمارة", "Amarah", [], None), ("ali-al-gharbi", "maysan", "علي الغربي", "Ali al-Gharbi", [], None),
    ("kahla", "maysan", "الكحلاء", "al-Kahla", [], None), ("maimouna", "maysan", "الميمونة", "al-Maimouna", [], None),
    ("majar-al-kabir", "maysan", "المجر الكبير", "al-Majar al-Kabir", [], None),
    ("qalat-salih", "maysan", "قلعة صالح", "Qal'at Salih", [], None),
    ("nasiriyah", "dhi-qar", "الناصرية", "Nasiriyah", [], None), ("rifai", "dhi-qar", "الرفاعي", "al-Rifai", [], None),
    ("shatra", "dhi-qar", "الشطرة", "al-Shatra", [], None), ("suq-al-shuyukh", "dhi-qar", "سوق الشيوخ", "Suq al-Shuyukh", [], None),
    ("chibayish", "dhi-qar", "الجبايش", "al-Chibayish", ["الچبايش"], None), ("dawaya", "dhi-qar", "الدواية", "al-Dawaya", [], None),
    ("samawah", "muthanna", "السماوة", "Samawah", [], None), ("rumaitha", "muthanna", "الرميثة", "al-Rumaitha", [], None),
    ("khidhir", "muthanna", "الخضر", "al-Khidhir", [], None), ("salman", "muthanna", "السلمان", "al-Salman", [], None),
    ("karbala", "karbala", "كربلاء", "Karbala", [], None), ("hindiya", "karbala", "الهندية", "al-Hindiya", ["طويريج"], None),
    ("ain-al-tamr", "karbala", "عين التمر", "Ain al-Tamr", [], None),
    ("tikrit", "salahuddin", "تكريت", "Tikrit", [], None), ("samarra", "salahuddin", "سامراء", "Samarra", [], None),
    ("baiji", "salahuddin", "بيجي", "Baiji", [], None), ("balad", "salahuddin", "بلد", "Balad", [], None),
    ("dujail", "salahuddin", "الدجيل", "al-Dujail", [], None), ("daur", "salahuddin", "الدور", "al-Daur", [], None),
    ("shirqat", "salahuddin", "الشرقاط", "al-Shirqat", [], None),
    ("tuz-khurmatu", "salahuddin", "طوز خورماتو", "Tuz Khurmatu", ["طوز"], None),
    ("baqubah", "diyala", "بعقوبة", "Baqubah", [], None), ("muqdadiya", "diyala", "المقدادية", "al-Muqdadiya", [], None),
    ("khalis", "diyala", "الخالص", "al-Khalis", [], None),
    ("baladruz", "diyala", "بلدروز", "Baladruz", [], "the source gives it the Arabic name of Baqubah (بعقوبة) by mistake"),
    ("khanaqin", "diyala", "خانقين", "Khanaqin", [], "the source also lists it under Sulaymaniyah (disputed territory)"),
    ("kifri", "diyala", "كفري", "Kifri", [], "the source also lists it under Sulaymaniyah (disputed territory)"),
    ("kirkuk", "kirkuk", "كركوك", "Kirkuk", [], _ADDED), ("hawija", "kirkuk", "الحويجة", "Hawija", [], _ADDED),
    ("dibis", "kirkuk", "الدبس", "Dibis", ["دبس", "دوبز"], None), ("daquq", "kirkuk", "داقوق", "Daquq", [], None),
    ("erbil", "erbil", "أربيل", "Erbil", [], _ADDED), ("choman", "erbil", "جومان", "Choman", [], None),
    ("khabat", "erbil", "خبات", "Khabat", [], None), ("dashti-hawler", "erbil", "دشت أربيل", "Dashti Hawler", ["دشتي هولير"], None),
    ("soran", "erbil", "سوران", "Soran", [], None), ("shaqlawa", "erbil", "شقلاوة", "Shaqlawa", [], None),
    ("koya", "erbil", "كويسنجق", "Koya", ["كويه", "كوية"], None), ("mergasor", "erbil", "ميركسور", "Mergasor", ["ميركه سور"], None),
    ("duhok", "duhok", "دهوك", "Duhok", [], None), ("zakho", "duhok", "زاخو", "Zakho", [], None),
    ("amadiya", "duhok", "العمادية", "Amadiya", ["ئاميدي", "اميدي"], None),
    ("semel", "duhok", "سميل", "Semel", ["سيميل"], None),
    ("akre", "duhok", "عقرة", "Akre", ["ئاكري"], "formally part of Nineveh governorate; administered from Duhok"),
    ("sheikhan", "duhok", "شيخان", "Sheikhan", [], "formally part of Nineveh governorate; administered from Duhok"),
    ("batifa", "duhok", "باتيفا", "Batifa", [], None),
    ("sulaymaniyah", "sulaymaniyah", "السليمانية", "Sulaymaniyah", [], _ADDED),
    ("bazyan", "sulaymaniyah", "بازيان", "Bazyan", [], None), ("sharbazher", "sulaymaniyah", "شاربازير", "Sharbazher", [], None),
    ("mawat", "sulaymaniyah", "ماوت", "Mawat", [], None), ("penjwen", "sulaymaniyah", "بنجوين", "Penjwen", ["بينجوين"], None),
    ("said-sadiq", "sulaymaniyah", "سيد صادق", "Said Sadiq", [], None), ("qaradagh", "sulaymaniyah", "قرداغ", "Qaradagh", ["قره داغ"], None),
    ("sharazur", "sulaymaniyah", "شهرزور", "Sharazur", ["شارزور"], None),
    ("darbandikhan", "sulaymaniyah", "دربندخان", "Darbandikhan", ["دربنديخان"], None),
    ("dukan", "sulaymaniyah", "دوكان", "Dukan", ["دووكان"], None), ("ranya", "sulaymaniyah", "رانية", "Ranya", [], None),
    ("haji-awa", "sulaymaniyah", "حاجياوا", "Haji Awa", [], None),
    ("pshdar", "sulaymaniyah", "قلعة دزة", "Qaladze (Pshdar)", ["قلادزة", "قلادزي", "بشدر"], None),
    ("kalar", "sulaymaniyah", "كلار", "Kalar", [], None),
    ("chamchamal", "sulaymaniyah", "جمجمال", "Chamchamal", [], "the source lists it as a subdistrict of Kifri"),
    ("halabja", "halabja", "حلبجة", "Halabja", [], _ADDED), ("khurmal", "halabja", "خورمال", "Khurmal", [], None),
]
IRAQ_SUBDISTRICTS = [  # slug, district slug, Arabic, English, extra bare aliases, note
    ("laylan", "kirkuk", "ليلان", "Laylan", ["لايلان"], "the source lists it as a district"),
    ("taza", "kirkuk", "تازة خورماتو", "Taza Khurmatu", ["تازه خورماتو"], "the source lists it as a district"),
    ("mulla-abdullah", "kirkuk", "ملا عبدالله", "Mulla Abdullah", ["ملا عبدولا"], "the source lists it as a district"),
    ("yayci", "kirkuk", "يايجي", "Yayci", ["ياشي"], "the source lists it as a district"),
    ("qara-hanjir", "kirkuk", "قرة هنجير", "Qara Hanjir", ["قرهنجير"], "the source lists it as a district"),
    ("shwan", "kirkuk", "شوان", "Shwan", [], "the source lists it as a district"),
]

# Units whose bare name belongs to another kind of place (the river Shatt al-Arab).
NO_BARE = {"place/iq/dist/shatt-al-arab"}

# Source names (after the importer's Arabic respelling) that differ from ours beyond folding.
IRAQ_SOURCE_EQUIV = {
    "تازخورماتوو": "place/iq/subdist/taza", "شارزوور": "place/iq/dist/sharazur",
    "مخموور": "place/iq/dist/makhmur", "هلبجه": "place/iq/gov/halabja", "الديار": "place/iq/dist/al-dayr",
}

DIRECTIONS = [  # slug suffix, Arabic adjective, English
    ("north", "الشمالي", "northern"), ("south", "الجنوبي", "southern"), ("east", "الشرقي", "eastern"),
    ("west", "الغربي", "western"), ("northeast", "الشمالي الشرقي", "north-eastern"),
    ("northwest", "الشمالي الغربي", "north-western"), ("southeast", "الجنوبي الشرقي", "south-eastern"),
    ("southwest", "الجنوبي الغربي", "south-western"),
]
DIRECTION_NOUN = {"الشمالي": "شمال", "الجنوبي": "جنوب", "الشرقي": "شرق", "الغربي": "غرب"}


# ----------------------------------------------------------------------------- helpers


def _li(prefix: str, x: str) -> str:
    """'ل' + x with ال assimilated: ل + الرقة -> للرقة."""
    return prefix + "ل" + (x[2:] if x.startswith("ال") else x)


def _arabic_ok(s: str) -> bool:
    return not _NON_ARABIC_LETTERS.search(s) and not any("a" <= c.lower() <= "z" for c in s)


class Unit:
    """An admin unit being generated: formal names, bare names, parent, ids."""

    def __init__(self, ident: str, subtype: str, formal: list[str], bare: list[str], name_en: str,
                 parent: str | None, country: str, **extra):
        self.id, self.subtype, self.name_en, self.parent, self.country = ident, subtype, name_en, parent, country
        self.formal = list(dict.fromkeys(f for f in formal if f))
        self.bare = list(dict.fromkeys(b for b in bare if b))
        self.extra = extra

    def entry(self, dropped: set[str]) -> dict:
        keep_bare = [b for b in self.bare if fold(b) not in dropped]
        strong = [b for b in keep_bare if fold(b) not in WEAK_FOLDED]
        weak = [b for b in keep_bare if fold(b) in WEAK_FOLDED]
        names = list(dict.fromkeys([*self.formal, *strong]))
        seen_folds = {fold(names[0])}
        aliases = []
        for n in names[1:]:
            if fold(n) not in seen_folds:  # spellings the matcher folds together are redundant
                seen_folds.add(fold(n))
                aliases.append(n)
        weak = [w for w in dict.fromkeys(weak) if fold(w) not in seen_folds]
        return {"id": self.id, "type": "place", "subtype": self.subtype, "name": names[0],
                "name_en": self.name_en, "aliases": aliases, "weak_aliases": weak,
                "country": self.country, "parent": self.parent, **self.extra}


WEAK_FOLDED = {fold(w) for w in WEAK}


def syria_units() -> list[Unit]:
    entries = import_ocha_syria(SHARED / "geo" / "syria")
    by_code = {e["pcode"]: e for e in entries}
    raw = {}
    import json

    for level in ("governorates", "districts", "subdistricts"):
        for rec in json.loads((SHARED / "geo" / "syria" / f"opensyria_{level}.json").read_text("utf-8")):
            raw[rec["externalIds"]["ochaPcode"]] = rec
    gov_slug = {code: SY_GOV_SLUG.get(rec["id"], rec["id"].removeprefix("sy-"))
                for code, rec in raw.items() if len(code) == 4}
    dist_slug = {}
    for code, rec in raw.items():
        if len(code) == 6:
            s = rec["id"][len(rec["governorateId"]) + 1:]
            dist_slug[code] = SY_DIST_SLUG.get(s, s)
    from claimx.gazetteer_import import _slug

    sub_slug = {}
    for code, rec in raw.items():
        if len(code) == 8:
            sub_slug[code] = SY_SUBDIST_SLUG.get(code) or (dist_slug[code[:6]] if code.endswith("00")
                                                           else _slug(rec["name"]["en"]))
    counts: dict[str, int] = {}
    for s in sub_slug.values():
        counts[s] = counts.get(s, 0) + 1
    for code, s in list(sub_slug.items()):
        if counts[s] > 1:  # the same name in two districts: qualify both
            sub_slug[code] = f"{dist_slug[code[:6]]}-{s}"

    def ident(code: str) -> str:
        return {4: f"place/sy/gov/{gov_slug.get(code)}", 6: f"place/sy/dist/{dist_slug.get(code)}",
                8: f"place/sy/subdist/{sub_slug.get(code)}"}[len(code)]

    units = []
    for e in entries:
        code, level = e["pcode"], e["subtype"]
        prefix = {"governorate": "محافظة", "district": "منطقة", "subdistrict": "ناحية"}[level]
        aliases = [a for a in e.get("aliases", []) if a not in SY_DROP_ALIASES and _arabic_ok(a)
                   and not a.startswith("مدينة ")]
        names = [e["name"], *aliases, *SY_EXTRA_BARE.get(code, [])]
        bare = [n for n in names if not n.startswith(("محافظة ", "منطقة ", "ناحية ", "مركز "))]
        formal = [n for n in names if n.startswith(prefix + " ")]
        centre = [n for n in names if n.startswith("مركز ")]
        if level == "subdistrict":
            formal = [f"ناحية {n}" for n in (centre or bare[:1])] + formal + [f"ناحية {b}" for b in bare]
        else:
            formal = [f"{prefix} {b}" for b in bare] + formal
        if code == "SY03":  # ريف دمشق: "محافظة ريف دمشق" and the bare form are the same unit
            formal = ["محافظة ريف دمشق"]
        parent = ident(code[:-2]) if level != "governorate" else "place/country/syria"
        en = e["name_en"] + {"governorate": " Governorate", "district": " District",
                             "subdistrict": " Subdistrict"}[level]
        units.append(Unit(ident(code), level, formal, bare if level != "subdistrict" or not centre else [],
                          en, parent, "SY", lat=e.get("lat"), lon=e.get("lon"), pcode=code,
                          geonames=e.get("geonames"), wikidata=e.get("wikidata")))
        # note: centre subdistricts (مركز X) get no bare form: X is the town, not the subdistrict
    units.sort(key=lambda u: (len(by_code[u.extra["pcode"]]["pcode"]), u.extra["pcode"]))
    return units


def countryside_units(gov_units: list[Unit]) -> list[Unit]:
    """ريف X for each governorate whose seat shares its name, and ريف X + 8 directions."""
    out = []
    for g in gov_units:
        if g.id == "place/sy/gov/damascus":
            continue  # ريف دمشق is its own governorate (place/sy/gov/rif-dimashq)
        slug = g.id.rsplit("/", 1)[1]
        bare = [b for b in g.bare] or [g.formal[0].removeprefix("محافظة ")]
        x, variants = (bare[0], bare[1:]) if slug != "rif-dimashq" else ("دمشق", [])
        base_id = g.id if slug == "rif-dimashq" else f"place/sy/countryside/{slug}"
        if slug != "rif-dimashq":
            out.append(Unit(base_id, "region", [f"ريف {x}", *[f"ريف {v}" for v in variants], f"ريف محافظة {x}"],
                            [], f"{g.name_en.removesuffix(' Governorate')} countryside", g.id, "SY"))
        for suffix, adj, en in DIRECTIONS:
            forms = [f"ريف {x} {adj}", *[f"ريف {v} {adj}" for v in variants], _li(f"الريف {adj} ", x),
                     f"ريف محافظة {x} {adj}"]
            if adj in DIRECTION_NOUN:
                forms.append(f"{DIRECTION_NOUN[adj]} ريف {x}")
            out.append(Unit(f"{base_id.replace('/gov/', '/countryside/')}-{suffix}", "region", forms, [],
                            f"{g.name_en.removesuffix(' Governorate')} {en} countryside", base_id, "SY"))
    return out


def iraq_units() -> list[Unit]:
    units = []
    for slug, ar, en, extra in IRAQ_GOVS:
        units.append(Unit(f"place/iq/gov/{slug}", "governorate", [f"محافظة {ar}", *[f"محافظة {a}" for a in extra]],
                          [ar, *extra], f"{en} Governorate", "place/country/iraq", "IQ"))
    for slug, gov, ar, en, extra, note in IRAQ_DISTRICTS:
        units.append(Unit(f"place/iq/dist/{slug}", "district", [f"قضاء {ar}", *[f"قضاء {a}" for a in extra]],
                          [ar, *extra], f"{en} District", f"place/iq/gov/{gov}", "IQ", note=note))
    for slug, dist, ar, en, extra, note in IRAQ_SUBDISTRICTS:
        units.append(Unit(f"place/iq/subdist/{slug}", "subdistrict", [f"ناحية {ar}", *[f"ناحية {a}" for a in extra]],
                          [ar, *extra], f"{en} Subdistrict", f"place/iq/dist/{dist}", "IQ", note=note))
    return units


def check_iraq_coverage(units: list[Unit]) -> list[str]:
    """Every governorate and district name of the source file must be a name or alias here."""
    have = {fold(n) for u in units for n in (*u.formal, *u.bare)}
    missing = []
    for e in import_iraq_admin(SHARED / "geo" / "iraq" / "iraq_geo_output.json"):
        if e["name"] in IRAQ_SOURCE_EQUIV:
            continue
        if e["subtype"] in ("governorate", "district") and not ({fold(e["name"])} | {fold(a) for a in e.get("aliases", [])}) & have:
            missing.append(f"{e['id']} {e['name']}")
    return missing


def split_places(text: str) -> tuple[str, str, str]:
    head, rest = text.split(BEGIN + "\n", 1)
    _, tail = rest.split(END + "\n", 1)
    return head, BEGIN + "\n", tail


def build(text: str) -> str:
    head, _, tail = split_places(text)
    hand = yaml.load(head + tail, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["entries"]
    sy = syria_units()
    govs = [u for u in sy if u.subtype == "governorate"]
    units = [*sy, *countryside_units(govs), *iraq_units()]
    missing = check_iraq_coverage(units)
    if missing:
        raise SystemExit("Iraqi source names not covered by IRAQ_* tables:\n  " + "\n  ".join(missing))
    parent = {u.id: u.parent for u in units} | {h["id"]: h.get("parent") for h in hand}
    unit_ids = {u.id for u in units}
    # bare forms claimed by hand-written places inside a unit are dropped from that unit
    dropped: dict[str, set[str]] = {u.id: set() for u in units}
    for h in hand:
        forms = {fold(f) for f in (h["name"], *h.get("aliases", []), *h.get("weak_aliases", []))}
        node, seen = h.get("parent"), set()
        while node and node not in seen:
            seen.add(node)
            if node in unit_ids:
                dropped[node] |= forms
            node = parent.get(node)
    # a bare form held by a unit and by one of its sub-units stays with the most specific one
    holders: dict[str, list[str]] = {}
    for u in units:
        for b in u.bare:
            holders.setdefault(fold(b), []).append(u.id)
    for form, ids in holders.items():
        for uid in ids:
            node = parent.get(uid)
            while node:
                if node in ids:
                    dropped[node].add(form)
                node = parent.get(node)
    for uid in NO_BARE:
        dropped[uid] |= {fold(b) for u in units if u.id == uid for b in u.bare}
    entries = [u.entry(dropped[u.id]) for u in units]
    block = dump_yaml(entries).split("entries:\n", 1)[1]
    header = ("  # Generated by scripts/build_gazetteer_admin.py from ../shared/geo (Open-Syria CC BY 4.0,\n"
              "  # OCHA p-codes; m7amad-t/iraq_geo_data MIT). Do not edit by hand: edit the script's tables.\n")
    return head + BEGIN + "\n" + header + block.rstrip("\n") + "\n" + END + "\n" + tail


def suggest_geonames(text: str) -> list[tuple[str, dict]]:
    """Hand-written settlements without coordinates that match exactly one GeoNames row.

    A match: same country, and one of the entry's names equals (after fold) one of the row's
    Arabic names. Rows matched by two entries, or entries matching two rows, are skipped as
    ambiguous. Returns (entry id, {lat, lon, geonames}) pairs to review and copy into the file.
    """
    from claimx.gazetteer_import import import_geonames

    head, _, tail = split_places(text)
    hand = yaml.safe_load(head + tail)["entries"]
    rows = import_geonames(SHARED / "geo" / "geonames" / "cities15000.zip", countries=None)
    index: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        for n in {r["name"], *r.get("aliases", [])}:
            index.setdefault((r.get("country", ""), fold(n)), []).append(r)
    hits: dict[str, dict] = {}
    for h in hand:
        if h.get("subtype") not in ("city", "town", "village", "neighbourhood") or "lat" in h or not h.get("country"):
            continue
        found = {r["geonames"]: r for n in (h["name"], *h.get("aliases", []), *h.get("weak_aliases", []))
                 for r in index.get((h["country"], fold(n)), [])}
        if len(found) == 1:
            hits[h["id"]] = next(iter(found.values()))
    claimed: dict[int, list[str]] = {}
    for hid, r in hits.items():
        claimed.setdefault(r["geonames"], []).append(hid)
    return [(hid, {"lat": r["lat"], "lon": r["lon"], "geonames": r["geonames"], "name_en": r["name_en"]})
            for hid, r in hits.items() if len(claimed[r["geonames"]]) == 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if places.yaml is not up to date")
    ap.add_argument("--suggest-geonames", action="store_true",
                    help="print GeoNames coordinates for hand-written settlements that lack them")
    args = ap.parse_args()
    text = PLACES.read_text("utf-8")
    if args.suggest_geonames:
        for hid, hit in suggest_geonames(text):
            print(f"{hid}\tlat: {hit['lat']}, lon: {hit['lon']}, geonames: {hit['geonames']}\t# {hit['name_en']}")
        return 0
    new = build(text)
    if args.check:
        if new != text:
            print("gazetteer/places.yaml is out of date; run scripts/build_gazetteer_admin.py", file=sys.stderr)
            return 1
        return 0
    if new != text:
        import os
        import tempfile

        fd, tmp = tempfile.mkstemp(dir=PLACES.parent, prefix=".places.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(new)
        os.replace(tmp, PLACES)
        print(f"updated {PLACES.relative_to(ROOT)}")
    else:
        print("up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
