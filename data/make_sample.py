"""Write the sample corpus in data/raw/ (committed; rerun only to regenerate it).

The articles are invented for this project. They cover the three input formats, several
languages, legacy encodings, mojibake, page furniture, and documents that must be rejected.
Tests call `write_sample` to get a fresh copy in a temporary folder.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ARTICLES = {
    "en_port": (
        "Port workers end strike after pay deal\n\n"
        "Dock workers at the city's main container port returned to work on Monday after union leaders "
        "accepted a two-year pay deal that raises wages by nine percent.\n\n"
        "The strike had left more than forty ships waiting offshore and delayed deliveries of fuel and "
        "medicine across the region for almost two weeks.\n\n"
        "\"Nobody wanted this to go on, but our members needed a fair offer,\" the union's secretary "
        "told reporters outside the port gates. Share prices of the port operator rose four percent "
        "after the announcement."
    ),
    "en_flood": (
        "Flood defences hold as river peaks\n\n"
        "Emergency crews worked through the night to reinforce flood barriers as the river reached its "
        "highest level in thirty years. Officials said no homes had been flooded in the town centre.\n\n"
        "Residents were asked to share photos of rising water with the council so that engineers could "
        "see where the barriers were under strain. Comments from the mayor praised the volunteers who "
        "filled sandbags until dawn."
    ),
    "fr_budget": (
        "Le gouvernement présente un budget de rigueur\n\n"
        "Le ministre de l'Économie a présenté mardi un projet de budget qui prévoit une baisse des "
        "dépenses publiques et une hausse modérée de certains impôts sur les grandes entreprises.\n\n"
        "L'opposition a dénoncé un texte « injuste » et promis de déposer des centaines d'amendements "
        "lors de l'examen du projet à l'Assemblée nationale le mois prochain."
    ),
    "de_rail": (
        "Bahnstreik legt den Fernverkehr lahm\n\n"
        "Ein Streik der Lokführer hat am Donnerstag große Teile des Fernverkehrs in Deutschland "
        "lahmgelegt. Die Bahn richtete einen Notfahrplan ein, doch viele Pendler mussten auf das Auto "
        "oder den Bus ausweichen.\n\n"
        "Die Gewerkschaft fordert höhere Löhne und kürzere Arbeitszeiten für das Zugpersonal. Weitere "
        "Gespräche sind für die kommende Woche geplant."
    ),
    "ru_heat": (
        "В городе отключат горячую воду на время ремонта\n\n"
        "Городские власти сообщили, что в нескольких районах на две недели отключат горячую воду из-за "
        "планового ремонта теплосетей. Работы начнутся в понедельник.\n\n"
        "Жителей просят заранее подготовиться к отключению. По словам чиновников, ремонт позволит "
        "избежать аварий зимой."
    ),
    "ar_water": (
        "افتتاح محطة جديدة لتحلية المياه\n\n"
        "افتتحت الحكومة يوم الأحد محطة جديدة لتحلية مياه البحر من المتوقع أن توفر مياه الشرب لأكثر من "
        "مليون شخص في المنطقة الساحلية.\n\n"
        "وقال وزير المياه إن مشاركة القطاع الخاص في تمويل المشروع ساعدت على إنجازه قبل الموعد المحدد بستة أشهر."
    ),
    "es_election": (
        "Los votantes acuden a las urnas en una jornada tranquila\n\n"
        "Millones de ciudadanos votaron este domingo en unas elecciones regionales marcadas por la "
        "preocupación por el precio de la vivienda y el empleo juvenil.\n\n"
        "Las autoridades electorales informaron de una participación superior a la de hace cuatro años "
        "y esperan publicar los primeros resultados oficiales antes de la medianoche."
    ),
}

FURNITURE_HEAD = "Share | Tweet | Email\n\n"
FURNITURE_TAIL = (
    "\n\nAdvertisement\n\nDo you like this article?\n\n3 Comment(s)\n"
    "Comment Policy * Denotes Required Field 1500 / 1500\n\nSitemap | Copyright © 2021-2024"
)
VIDEO_MENU = (
    "\n\nDownload Adobe Flash Player\n\nThe code has been copied to your clipboard.\n\n"
    "No media source currently available\n\nDirect link\n\n  • 270p | 8.8MB\n\n  • 720p | 30.1MB\n\n"
)


def write_sample(root: Path) -> None:
    """Write the sample corpus under `root` (created if needed)."""
    txt = root / "txt"
    txt.mkdir(parents=True, exist_ok=True)
    (txt / "en_port.txt").write_text(FURNITURE_HEAD + ARTICLES["en_port"] + FURNITURE_TAIL + "\n", encoding="utf-8")
    head, tail = ARTICLES["en_flood"].split("\n\n", 1)
    (txt / "en_flood_video.txt").write_text(head + VIDEO_MENU + tail + "\n\nConnect with us\n", encoding="utf-8")
    (txt / "fr_budget.txt").write_text(ARTICLES["fr_budget"] + "\n\nPartager\n\nPublicité\n", encoding="utf-8")
    # Legacy encodings: German in cp1252, Russian in cp1251 (as old sites served them).
    (txt / "de_rail_cp1252.txt").write_bytes((ARTICLES["de_rail"] + "\n\nAnzeige\n").encode("cp1252"))
    (txt / "ru_heat_cp1251.txt").write_bytes(ARTICLES["ru_heat"].encode("cp1251"))
    # Arabic with its share footer, and a UTF-8 BOM.
    (txt / "ar_water.txt").write_bytes(b"\xef\xbb\xbf" + (ARTICLES["ar_water"] + "\nمشاركة :").encode("utf-8"))
    # Mojibake: UTF-8 bytes that were once decoded as cp1252 and saved again as UTF-8.
    (txt / "es_election_mojibake.txt").write_text(
        ARTICLES["es_election"].encode("utf-8").decode("cp1252", errors="replace"), encoding="utf-8")
    # Documents that must be rejected: only furniture, and empty.
    (txt / "only_furniture.txt").write_text("Share this article\n\nAdvertisement\n\nComments are closed.\n", encoding="utf-8")
    (txt / "empty.txt").write_text("  \n", encoding="utf-8")

    jsonl = root / "jsonl"
    jsonl.mkdir(parents=True, exist_ok=True)
    records = [
        {"id": "wire-1", "url": "https://news.example/port", "text": ARTICLES["en_port"] + "\n\nRelated Topics\n"},
        {"id": "wire-2", "url": "https://news.example/budget", "text": "Publicité\n" + ARTICLES["fr_budget"]},
        {"id": 3, "text": ARTICLES["de_rail"]},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(2, '{"id": "wire-broken", "text": ')  # a truncated record: rejected as bad_record
    (jsonl / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.GzipFile(jsonl / "archive.jsonl.gz", "wb", mtime=0) as gz:
        for i, key in enumerate(("es_election", "ru_heat", "ar_water")):
            gz.write((json.dumps({"id": f"archive-{i}", "text": ARTICLES[key]}, ensure_ascii=False) + "\n").encode("utf-8"))

    multinews = root / "multinews"
    multinews.mkdir(parents=True, exist_ok=True)

    def src(doc: str) -> str:
        return " " + doc.replace("\n", "NEWLINE_CHAR ")

    examples = [
        [ARTICLES["en_port"] + "\n\nAdvertisement", ARTICLES["en_flood"] + "\n\nRead more"],
        [ARTICLES["en_flood"], "Skip to main content\n\nSubscribe to our daily newsletter!", ARTICLES["en_port"]],
    ]
    (multinews / "sample.src").write_text("\n".join(" |||||".join(src(d) for d in ex) for ex in examples) + "\n",
                                          encoding="utf-8")


if __name__ == "__main__":
    write_sample(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "raw"))
