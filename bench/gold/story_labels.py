"""Story gold labels: the readers' answer sheets turned into URL labels.

    .venv/bin/python bench/gold/story_labels.py --day 2015-08-07 [--sheets /tmp/storygold]

Reads `<sheets>/<day>_part1.labels.txt` (seeds 1-40) and `_part2.labels.txt` (seeds 41-80),
one line per seed `n: k1,k2  # optional comment`, where the k are candidate numbers (1-based,
in that seed's candidate order in `stories_<day>_pool.json`) judged the same story as seed n;
every other candidate of the seed is judged not the same story. Corrections made after a second
reading are in `stories_<day>_corrections.json` (`{"n": {"add": [k], "drop": [k], "why": ..}}`)
and are applied on top. Writes `stories_<day>_labels.json`: for each labelled seed URL, the list
of same-story candidate URLs (URLs only, no text). Seeds with no answer line yet are left out
(and counted), so a partial sheet gives a partial gold. With `--keep`, a seed that no sheet
answers keeps the labels it already has in `stories_<day>_labels.json` (as they are, corrections
not applied again), so one part can be added when the other part's sheet is gone:

    .venv/bin/python bench/gold/story_labels.py --day 2015-08-02 --keep   # only _part2 on disk
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE_RE = re.compile(r"^\s*(\d+)\s*:(.*)$")


def parse_sheet(text: str) -> dict[int, list[int]]:
    """Seed number -> candidate numbers judged same story, from one answer sheet."""
    found: dict[int, list[int]] = {}
    for line in text.splitlines():
        match = LINE_RE.match(line)
        if match is None:
            continue
        answer = match.group(2).split("#", 1)[0]
        numbers = [int(k) for k in re.findall(r"\d+", answer)]
        found[int(match.group(1))] = sorted(set(numbers))
    return found


def labels_of(
    pool: dict, answers: dict[int, list[int]], corrections: dict[str, dict]
) -> tuple[dict[str, list[str]], list[str]]:
    """Seed URL -> same-story candidate URLs, and the problems met (numbers out of range)."""
    problems: list[str] = []
    out: dict[str, list[str]] = {}
    for n, entry in enumerate(pool["seeds"], 1):
        if n not in answers:
            continue
        chosen = set(answers[n])
        fix = corrections.get(str(n), {})
        chosen |= set(fix.get("add", []))
        chosen -= set(fix.get("drop", []))
        candidates = entry["candidates"]
        bad = sorted(k for k in chosen if not 1 <= k <= len(candidates))
        if bad:
            problems.append(f"seed {n}: candidate numbers {bad} out of 1..{len(candidates)}")
        out[entry["seed"]] = [
            candidates[k - 1] for k in sorted(chosen) if 1 <= k <= len(candidates)
        ]
    return out, problems


def kept_labels(
    pool: dict, answered: dict[str, list[str]], existing: dict
) -> tuple[dict[str, list[str]], int]:
    """The answered labels plus the existing file's labels of seeds no sheet answers, in pool order."""
    before = existing.get("labels", {})
    out: dict[str, list[str]] = {}
    kept = 0
    for entry in pool["seeds"]:
        seed = entry["seed"]
        if seed in answered:
            out[seed] = answered[seed]
        elif seed in before:
            out[seed] = before[seed]
            kept += 1
    return out, kept


def main() -> int:
    """Write the labels JSON of one day from its answer sheets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", required=True)
    parser.add_argument("--sheets", type=Path, default=Path("/tmp/storygold"))
    parser.add_argument(
        "--keep", action="store_true", help="keep the labels file's seeds that no sheet answers"
    )
    args = parser.parse_args()
    pool = json.loads((HERE / f"stories_{args.day}_pool.json").read_text(encoding="utf-8"))
    answers: dict[int, list[int]] = {}
    for part in ("part1", "part2"):
        sheet = args.sheets / f"{args.day}_{part}.labels.txt"
        if sheet.exists():
            answers.update(parse_sheet(sheet.read_text(encoding="utf-8")))
    fixes_path = HERE / f"stories_{args.day}_corrections.json"
    corrections = json.loads(fixes_path.read_text(encoding="utf-8")) if fixes_path.exists() else {}
    labels, problems = labels_of(pool, answers, corrections)
    for problem in problems:
        print(problem, file=sys.stderr)
    out = HERE / f"stories_{args.day}_labels.json"
    kept = 0
    if args.keep and out.exists():
        labels, kept = kept_labels(pool, labels, json.loads(out.read_text(encoding="utf-8")))
    document = {
        "day": args.day,
        "made_by": "read by people, see STORIES.md; converted by bench/gold/story_labels.py",
        "corrections": len(corrections),
        "labels": labels,
    }
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    same = sum(len(v) for v in labels.values())
    print(
        f"{args.day}: {len(labels)}/{len(pool['seeds'])} seeds labelled, {same} same-story "
        f"labels, {len(corrections)} corrected, {kept} kept from the labels file -> {out}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
