"""Extraction benchmark: speed per language and size, per-stage time, start-up, memory, baselines.

    python bench/extraction.py                      # full run (a few minutes), bench/results/extraction.json
    python bench/extraction.py --geovirus PATH      # also score place resolution on GeoVirus (not stored)
    python bench/extraction.py --tiny --out DIR     # a few articles, seconds: proves the script runs

What it measures, all in one process run so that ratios compare like with like:

1. **Speed**: Arabic and English articles of 0.5, 2 and 8 KB (UTF-8 bytes of text), built by
   :func:`common.build_articles` from our wire-style stories and the dev-set sentences. Each cell
   is timed in several passes over the same articles; the figure is the median pass. One process,
   one thread: "per second" is per core. Both wall time and the process's CPU time are kept:
   articles per CPU-second is what a core delivers when it is not shared, wall time what we got.
   Per-stage time comes from the pipeline's own ``timings``.
2. **Against a reference measured in the same run**: a fixed pure-Python workload
   (:func:`common.calibrate`), and, on the English texts, geotext and a flashtext keyword
   baseline, timed in the same passes (interleaved), so load from other processes hits all alike.
3. **Start-up and memory**: fresh subprocesses (``startup_probe.py``): time to ready (gazetteer
   and language model loaded, as ``streams worker`` does before /ready) and VmRSS.
4. **Place-resolution accuracy**: the English dev-set cases that give a gold point, share within
   161 km (and 25 km) for each system; with ``--geovirus``, every GeoVirus toponym.
5. **Hot spots** (when the 2 KB goal is missed): cProfile of the 2 KB cells, top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import (
    BENCH_DIR,
    DEVSET_DIR,
    build_articles,
    calibrate,
    git_revision,
    loadavg,
    percentile,
    ratio,
    text_stats,
    write_result,
)

SIZES = (512, 2048, 8192)
LANGS = ("ar", "en")
GOAL_ARTICLES_PER_S = 500.0
GOAL_SIZE = 2048
STAGES = ("normalize", "places", "numbers", "counts", "events", "dates", "actors", "assemble")


def _load_systems(names: list[str]) -> tuple[dict, dict]:
    """The systems to compare, and why any of them is unavailable."""
    from baselines import FlashTextBaseline, GeoTextBaseline, Ours

    systems: dict = {}
    missing: dict[str, str] = {}
    systems["ours"] = Ours()
    for name, cls in (("geotext", GeoTextBaseline), ("flashtext", FlashTextBaseline)):
        if name not in names:
            continue
        try:
            systems[name] = cls()
        except ImportError as exc:
            missing[name] = f"{exc} (pip install -e '.[bench]')"
    return systems, missing


# ------------------------------------------------------------------------------------------ speed


def time_cell(articles: list[dict], systems: dict, min_seconds: float, min_passes: int, max_passes: int) -> dict:
    """Time every system over ``articles`` in interleaved passes; return per-system figures."""
    from baselines import timed_call

    ours = systems["ours"]
    walls: dict[str, list[float]] = {name: [] for name in systems}
    cpus: dict[str, list[float]] = {name: [] for name in systems}
    per_article: list[float] = []
    stage_sum: dict[str, float] = dict.fromkeys((*STAGES, "other"), 0.0)
    stage_n = 0
    started = time.perf_counter()
    passes = 0
    while passes < min_passes or (time.perf_counter() - started < min_seconds and passes < max_passes):
        passes += 1
        for name, system in systems.items():
            c0, w0 = time.process_time(), time.perf_counter()
            if name == "ours":
                for art in articles:
                    a0 = time.perf_counter()
                    enriched = ours._extract(art)
                    dt = time.perf_counter() - a0
                    per_article.append(dt)
                    timings = enriched["timings"]
                    for stage in STAGES:
                        stage_sum[stage] += timings.get(stage, 0.0)
                    stage_sum["other"] += max(0.0, dt - sum(timings.values()))
                    stage_n += 1
            else:
                for art in articles:
                    timed_call(system, art["text"])
            walls[name].append(time.perf_counter() - w0)
            cpus[name].append(time.process_time() - c0)
    n = len(articles)
    out: dict = {"passes": passes, "systems": {}}
    for name in systems:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        out["systems"][name] = {
            "articles_per_s": round(n / wall, 1) if wall > 0 else None,
            "articles_per_cpu_s": round(n / cpu, 1) if cpu > 0 else None,
            "ms_per_article": round(1000 * wall / n, 4),
            "cpu_share": round(cpu / wall, 3) if wall > 0 else None,
        }
    out["ours_ms_p50"] = round(1000 * (percentile(per_article, 0.5) or 0), 4)
    out["ours_ms_p95"] = round(1000 * (percentile(per_article, 0.95) or 0), 4)
    out["ours_ms_max"] = round(1000 * max(per_article), 4) if per_article else None
    total = sum(stage_sum.values())
    out["stages_ms"] = {k: round(1000 * v / max(1, stage_n), 4) for k, v in stage_sum.items()}
    out["stages_share"] = {k: round(v / total, 3) if total else None for k, v in stage_sum.items()}
    for name in systems:
        if name != "ours":
            # Ratio of pass times within the same pass, then the median: robust to load changes.
            pair = [o / b for o, b in zip(walls["ours"], walls[name], strict=True) if b > 0]
            out["systems"][name]["ours_time_ratio"] = round(statistics.median(pair), 2) if pair else None
    return out


# ------------------------------------------------------------------------------------------ start-up


def startup(system: str, runs: int) -> dict:
    """Time to ready and memory of ``system`` in fresh subprocesses (median of ``runs``)."""
    results = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(BENCH_DIR / "startup_probe.py"), "--system", system],
                              capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()[-500:]}
        line = [x for x in proc.stdout.splitlines() if x.startswith("{")][-1]
        data = json.loads(line)
        data["wall_to_exit_s"] = wall
        results.append(data)
    ready = [r["steps"]["ready"] for r in results]
    best = min(results, key=lambda r: r["steps"]["ready"])
    return {
        "runs": runs,
        "ready_s_median": round(statistics.median(ready), 3),
        "ready_s_all": [round(x, 3) for x in ready],
        "ready_and_warm_s_median": round(statistics.median(r["steps"]["ready_and_warm"] for r in results), 3),
        "steps_s_fastest_run": {k: round(v, 4) for k, v in best["steps"].items()},
        "cpu_s_at_ready_median": (round(statistics.median(r["cpu_s_at_ready"] for r in results), 3)
                                  if all("cpu_s_at_ready" in r for r in results) else None),
        "rss_bytes": max(r["memory"].get("VmRSS", 0) for r in results),
        "rss_peak_bytes": max(r["memory"].get("VmHWM", 0) for r in results),
        **{k: v for k, v in best.items() if k not in ("steps", "memory", "system", "wall_to_exit_s", "cpu_s_at_ready")},
    }


def ensure_index() -> dict:
    """Build the gazetteer index now if it is missing, so start-up runs measure loading, not building."""
    from streams.extract.gazetteer import default_cache_dir, index_path

    path = index_path(default_cache_dir())
    if path.exists():
        return {"index": str(path), "built_now": False}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "streams.extract.gazetteer", "build"], capture_output=True,
                          text=True, timeout=900)
    return {"index": str(path), "built_now": True, "build_s": round(time.perf_counter() - t0, 1),
            "build_ok": proc.returncode == 0}


# ------------------------------------------------------------------------------------------ accuracy


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def devset_accuracy(systems: dict, limit: int | None = None) -> dict:
    """Share of English dev-set cases whose single predicted point is within 161 / 25 km of gold."""
    cases = [json.loads(line) for line in (DEVSET_DIR / "en.jsonl").read_text().splitlines() if line.strip()]
    cases = [c for c in cases if "lat" in c["gold"]]
    if limit:
        cases = cases[:limit]
    out: dict = {"cases": len(cases), "source": "tests/data/devset/en.jsonl (cases with gold lat/lon)",
                 "systems": {}}
    for name, system in systems.items():
        hits161 = hits25 = none = 0
        errors: list[float] = []
        for case in cases:
            _, point = system.mentions(case["text"], case.get("published_at"))
            if point is None:
                none += 1
                continue
            d = _km(case["gold"]["lat"], case["gold"]["lon"], point.lat, point.lon)
            errors.append(d)
            hits161 += d <= 161
            hits25 += d <= 25
        n = len(cases)
        out["systems"][name] = {
            "within_161km": round(hits161 / n, 3) if n else None,
            "within_25km": round(hits25 / n, 3) if n else None,
            "no_point": none,
            "median_error_km": round(statistics.median(errors), 1) if errors else None,
        }
    return out


def geovirus_accuracy(path: Path, systems: dict, limit: int | None = None) -> dict:
    """Toponym-level scores on GeoVirus: found (span overlap) and resolved within 161 km.

    ``acc161_all`` counts every gold toponym (a missed one is wrong); ``acc161_found`` only those
    the system found, which is how geocoding-only results are usually quoted.
    """
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    articles = root.findall("article")
    if limit:
        articles = articles[:limit]
    gold_total = 0
    stats = {name: {"found": 0, "hit161": 0, "errors": [], "seconds": 0.0} for name in systems}
    for art in articles:
        text = art.findtext("text") or ""
        golds = []
        for loc in art.iter("location"):
            try:
                start, end = int(loc.findtext("start")), int(loc.findtext("end"))
                lat, lon = float(loc.findtext("lat")), float(loc.findtext("lon"))
            except (TypeError, ValueError):
                continue
            name = loc.findtext("name") or ""
            # GeoVirus offsets count from 1; take whichever reading puts the name at the span.
            if text[start:end] != name and text[start - 1 : end - 1] == name:
                start, end = start - 1, end - 1
            golds.append((start, end, lat, lon))
        gold_total += len(golds)
        for name, system in systems.items():
            t0 = time.perf_counter()
            mentions, _ = system.mentions(text)
            stats[name]["seconds"] += time.perf_counter() - t0
            for gs, ge, glat, glon in golds:
                match = next((m for m in mentions if m.start < ge and gs < m.end and m.lat is not None), None)
                if match is None:
                    continue
                stats[name]["found"] += 1
                d = _km(glat, glon, match.lat, match.lon)
                stats[name]["errors"].append(d)
                stats[name]["hit161"] += d <= 161
    out: dict = {"articles": len(articles), "toponyms": gold_total, "systems": {}}
    for name, s in stats.items():
        out["systems"][name] = {
            "found": round(s["found"] / gold_total, 3) if gold_total else None,
            "acc161_all": round(s["hit161"] / gold_total, 3) if gold_total else None,
            "acc161_found": round(s["hit161"] / s["found"], 3) if s["found"] else None,
            "median_error_km": round(statistics.median(s["errors"]), 1) if s["errors"] else None,
            "articles_per_s": round(len(articles) / s["seconds"], 1) if s["seconds"] else None,
        }
    return out


# ------------------------------------------------------------------------------------------ hot spots


def hotspots(articles: list[dict], top: int = 15) -> dict:
    """cProfile of extraction over ``articles``: the top functions by own time, with their share."""
    from streams.extract.pipeline import extract_article

    prof = cProfile.Profile()
    prof.enable()
    for art in articles:
        extract_article(art)
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        rows.append((tottime, cumtime, ncalls, f"{Path(filename).name}:{line}:{func}", filename))
    rows.sort(reverse=True)
    ms = 1000.0 / len(articles)
    return {
        "articles": len(articles),
        "profiled_ms_per_article": round(total * ms, 3),
        "note": "cProfile slows Python code down; shares are what matter, not the absolute ms",
        "top_by_own_time": [
            {"function": name, "own_ms_per_article": round(tt * ms, 4), "own_share": round(tt / total, 3),
             "cum_ms_per_article": round(ct * ms, 4), "calls_per_article": round(nc / len(articles), 1)}
            for tt, ct, nc, name, _ in rows[:top]
        ],
        "top_by_cumulative_time_in_streams": [
            {"function": name, "cum_ms_per_article": round(ct * ms, 4), "cum_share": round(ct / total, 3)}
            for _, ct, _, name, filename in sorted(rows, key=lambda r: -r[1])
            if "/streams/" in filename
        ][:top],
    }


# ------------------------------------------------------------------------------------------ main


def build_kind() -> str:
    """Which build of the extraction modules runs: "mypyc" (the optional compiled build, see
    scripts/compile_extract.py) or "python"."""
    import streams.extract.places as places

    return "mypyc" if places.__file__.endswith((".so", ".pyd")) else "python"


def main(argv: list[str] | None = None) -> int:
    """Run the extraction benchmark and write ``extraction.json`` (``extraction_mypyc.json`` when
    the optional compiled build is what runs, so both can be compared)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="a few articles, one pass: proves the script runs")
    parser.add_argument("--articles", type=int, default=40, help="articles per language and size")
    parser.add_argument("--seconds", type=float, default=4.0, help="minimum time per cell (more passes)")
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--geovirus", type=Path, default=None, help="GeoVirus.xml (scored, never copied)")
    parser.add_argument("--baselines", default="geotext,flashtext", help="comma-separated, or '' for none")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default bench/results)")
    args = parser.parse_args(argv)
    if args.tiny:
        args.articles, args.seconds, args.startup_runs = 3, 0.0, 1
    min_passes, max_passes = (1, 1) if args.tiny else (3, 40)

    result: dict = {"git": git_revision(), "load_before": loadavg(), "settings": {
        "articles_per_cell": args.articles, "min_seconds_per_cell": args.seconds, "tiny": args.tiny,
        "size_unit": "UTF-8 bytes of article text (1 KB = 1024)"}}
    result["index"] = ensure_index()
    t_all = time.perf_counter()
    cal_before = calibrate(0.3 if args.tiny else 1.0)

    wanted = [b for b in args.baselines.split(",") if b]
    t0 = time.perf_counter()
    systems, missing = _load_systems(wanted)
    result["systems_load_s"] = round(time.perf_counter() - t0, 2)
    result["baselines_unavailable"] = missing

    cells: dict = {}
    for lang in LANGS:
        for size in SIZES:
            articles = build_articles(lang, size, args.articles)
            use = systems if lang == "en" else {"ours": systems["ours"]}
            cal = calibrate(0.2 if args.tiny else 0.5)
            cell = time_cell(articles, use, args.seconds, min_passes, max_passes)
            cell["reference_unit_cpu_s"] = cal["unit_cpu_seconds"]
            cell["texts"] = text_stats(articles)
            cell["loadavg"] = loadavg()
            cells[f"{lang}-{size}"] = cell
            print(f"{lang} {size:>5} B: ours {cell['systems']['ours']['articles_per_s']:>8}/s "
                  f"({cell['systems']['ours']['articles_per_cpu_s']}/cpu-s) "
                  + " ".join(f"{k} x{v.get('ours_time_ratio')}" for k, v in cell["systems"].items() if k != "ours"),
                  file=sys.stderr)
    cal_after = calibrate(0.3 if args.tiny else 1.0)
    per_cell = [c["reference_unit_cpu_s"] for c in cells.values()]
    unit = statistics.median([cal_before["unit_cpu_seconds"], cal_after["unit_cpu_seconds"], *per_cell])
    result["reference"] = {
        "what": "fixed pure-Python workload (common.calibrate): tokenize, casefold, dict counts of a 1 KB text; "
                "CPU seconds per unit, measured before, after and before each cell",
        "unit_seconds_before": cal_before["unit_cpu_seconds"], "unit_seconds_after": cal_after["unit_cpu_seconds"],
        "unit_seconds": unit,
        "drift": ratio(max(*per_cell, unit), min(*per_cell, unit)),
    }
    for cell in cells.values():
        ours = cell["systems"]["ours"]
        # CPU per article over CPU per unit of the calibration run just before this cell.
        ours["reference_units_per_article"] = round(1 / ours["articles_per_cpu_s"] / cell["reference_unit_cpu_s"], 1)
        ours["cpu_ms_per_kb"] = round(1000 / ours["articles_per_cpu_s"] / (cell["texts"]["mean_bytes"] / 1024), 3)
    result["speed"] = cells

    goal_cells = {lang: cells[f"{lang}-{GOAL_SIZE}"]["systems"]["ours"] for lang in LANGS}
    result["goal_speed"] = {
        "goal_articles_per_s_per_core": GOAL_ARTICLES_PER_S,
        "size_bytes": GOAL_SIZE,
        **{lang: {"articles_per_s": c["articles_per_s"], "articles_per_cpu_s": c["articles_per_cpu_s"],
                  "share_of_goal": ratio(c["articles_per_cpu_s"], GOAL_ARTICLES_PER_S),
                  "met": (c["articles_per_cpu_s"] or 0) >= GOAL_ARTICLES_PER_S}
           for lang, c in goal_cells.items()},
    }

    result["accuracy_devset"] = devset_accuracy(systems, limit=5 if args.tiny else None)
    if args.geovirus:
        if args.geovirus.exists():
            result["accuracy_geovirus"] = geovirus_accuracy(args.geovirus, systems, limit=3 if args.tiny else None)
        else:
            result["accuracy_geovirus"] = {"skipped": f"{args.geovirus} not found"}
    accs = {name: result["accuracy_devset"]["systems"][name]["within_161km"] for name in systems}
    more_accurate = {name: accs["ours"] is not None and v is not None and accs["ours"] > v
                     for name, v in accs.items() if name != "ours"}
    if "accuracy_geovirus" in result and "systems" in result["accuracy_geovirus"]:
        gv = result["accuracy_geovirus"]["systems"]
        for name in more_accurate:
            more_accurate[name] = more_accurate[name] and gv["ours"]["acc161_all"] > gv[name]["acc161_all"]
    result["goal_accuracy"] = {"more_accurate_than": more_accurate, "met": bool(more_accurate) and all(more_accurate.values())}

    del systems  # free the flashtext trie before the start-up subprocesses measure memory
    result["startup"] = {"ours": startup("ours", args.startup_runs)}
    if not args.tiny:
        for name in wanted:
            if name not in missing:
                result["startup"][name] = startup(name, 1)

    if not args.tiny and not all(v["met"] for k, v in result["goal_speed"].items() if k in LANGS):
        result["hotspots"] = {f"{lang}-{GOAL_SIZE}": hotspots(build_articles(lang, GOAL_SIZE, 20)) for lang in LANGS}
        # Time per KB grows with size: profile the largest English cell too, to show what grows.
        result["hotspots"]["en-8192"] = hotspots(build_articles("en", 8192, 8))

    result["load_after"] = loadavg()
    result["duration_s"] = round(time.perf_counter() - t_all, 1)
    result["build"] = build_kind()
    path = write_result("extraction" if result["build"] == "python" else "extraction_mypyc", result, args.out)
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
