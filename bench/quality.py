"""Cleaning quality on the project's evaluation data, reproducibly: one command, all figures.

    .venv/bin/python bench/quality.py [--shared ../shared] [--json OUT.json]

1. runs the pipeline in-process over `shared/eval/real/input/` and prints the scorer's figures
   (`shared/eval/score.py`: content_kept, boilerplate_removed, language_accuracy, ...);
2. language accuracy per language on `shared/eval/langid.jsonl` (the same detector as the
   pipeline, `transforms.language.detect_language`);
3. the seed documents (`shared/seeds/`): the design's furniture lines must all be gone, each in
   removed_lines/ with its rule, and every seed English.

The evaluation data sits beside the project checkout, not in it; without it this prints that it
is absent and exits 0, because a user's clone has no evaluation data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

import pyarrow.dataset as ds  # noqa: E402

from flows.clean import main as clean  # noqa: E402
from transforms.language import detect_language  # noqa: E402

DESIGN_FURNITURE = ["Do you like this article?", "0 Comment(s)", "Comment Policy", "Download Adobe Flash Player",
                    "The code has been copied to your clipboard.", "270p | 8.8MB", "No media source currently available",
                    "مشاركة :", "Connect with us", "Sitemap | Copyright © 2018-2019"]


def run_pipeline(source: Path, dest: Path) -> None:
    if clean(["--source", str(source), "--dest", str(dest)]) != 0:
        sys.exit(f"quality: the pipeline failed on {source}")


def score(shared: Path, dest: Path) -> dict:
    out = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(shared / "eval" / "real" / "labels.jsonl"),
                          str(dest), "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def language_accuracy(shared: Path) -> dict:
    right, total = Counter(), Counter()
    for line in (shared / "eval" / "langid.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        total[item["lang"]] += 1
        right[item["lang"]] += detect_language(item["text"]).code == item["lang"]
    per = {lang: round(right[lang] / total[lang], 3) for lang in sorted(total)}
    return {"overall": round(sum(right.values()) / sum(total.values()), 4), "per_language": per}


def seeds(shared: Path, dest: Path) -> dict:
    docs = ds.dataset(dest / "documents", format="parquet", partitioning="hive").to_table().to_pylist()
    removed = ds.dataset(dest / "removed_lines", format="parquet").to_table().to_pylist()
    left = {f: [d["source"] for d in docs if f in d["text"]] for f in DESIGN_FURNITURE}
    return {
        "documents": len(docs),
        "furniture_left": {f: s for f, s in left.items() if s},
        "furniture_without_audit": [f for f in DESIGN_FURNITURE if not any(f in r["text"] for r in removed)],
        "languages": dict(Counter(d["language"] for d in docs)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder holding eval/ and seeds/")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not (args.shared / "eval" / "score.py").exists():
        print(f"quality: no evaluation data at {args.shared} (it lives beside the checkout, not in it); nothing measured")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run_pipeline(args.shared / "eval" / "real" / "input", Path(tmp) / "eval")
        run_pipeline(args.shared / "seeds", Path(tmp) / "seeds")
        figures = {"dev_set": score(args.shared, Path(tmp) / "eval"), "langid": language_accuracy(args.shared),
                   "seeds": seeds(args.shared, Path(tmp) / "seeds")}
    dev = {k: v for k, v in figures["dev_set"].items() if k != "counts"}
    print("dev set (shared/eval/real):", json.dumps(dev))
    print("language accuracy (shared/eval/langid.jsonl):", figures["langid"]["overall"])
    print("  " + "  ".join(f"{k} {v}" for k, v in figures["langid"]["per_language"].items()))
    print("seeds:", json.dumps(figures["seeds"], ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
