"""Child process of the start-up benchmark: get one system ready, then print one JSON line.

``python bench/startup_probe.py --system ours|geotext|flashtext``. The parent measures the wall
time from spawning this process to reading the line (interpreter start and imports included);
the line carries the child's own breakdown and its resident memory (VmRSS, VmHWM from /proc).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

T_START = time.perf_counter()

from common import proc_status  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Bring up the chosen system and report how long each step took and the memory it holds."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--system", choices=["ours", "geotext", "flashtext"], default="ours")
    args = parser.parse_args(argv)
    steps: dict[str, float] = {}
    t = time.perf_counter()
    steps["interpreter_and_common"] = t - T_START
    if args.system == "ours":
        # What ``streams worker`` does before it reports ready: gazetteer and language-id model.
        from streams.extract.gazetteer import load_gazetteer
        from streams.extract.langid import warm_up
        from streams.extract.pipeline import extract_article

        t1 = time.perf_counter()
        steps["import"] = t1 - t
        gaz = load_gazetteer()
        t2 = time.perf_counter()
        steps["gazetteer_load"] = t2 - t1
        warm_up()
        t3 = time.perf_counter()
        steps["langid_model"] = t3 - t2
        steps["ready"] = t3 - T_START
        cpu_ready = time.process_time()
        rss_ready = proc_status()
        # The first article of each language compiles that language's lexicons (once per process).
        extract_article({"id": "w1", "lang": "en", "text": "Two people were killed in Mosul on Friday.",
                         "published_at": "2019-01-01T00:00:00Z"})
        t4 = time.perf_counter()
        steps["first_article_en"] = t4 - t3
        extract_article({"id": "w2", "lang": "ar", "text": "قتل شخصان في الموصل يوم الجمعة.",
                         "published_at": "2019-01-01T00:00:00Z"})
        t5 = time.perf_counter()
        steps["first_article_ar"] = t5 - t4
        steps["ready_and_warm"] = t5 - T_START
        extra = {"cpu_s_at_ready": round(cpu_ready, 3), "gazetteer_places": gaz.size, "gazetteer_keys": gaz.key_count,
                 "index_bytes": gaz.path.stat().st_size, "rss_at_ready": rss_ready}
    elif args.system == "geotext":
        import geotext

        geotext.GeoText("Warm up in Paris.")
        t1 = time.perf_counter()
        steps["import_and_index"] = t1 - t
        steps["ready"] = t1 - T_START
        steps["ready_and_warm"] = steps["ready"]
        extra = {"cities": len(geotext.GeoText.index.cities)}
    else:
        sys.path.insert(0, __file__.rsplit("/", 1)[0])
        from baselines import FlashTextBaseline

        from streams.extract.gazetteer import load_gazetteer

        t1 = time.perf_counter()
        load_gazetteer()
        t2 = time.perf_counter()
        steps["gazetteer_load"] = t2 - t1
        ft = FlashTextBaseline()
        t3 = time.perf_counter()
        steps["trie_build"] = t3 - t2
        steps["ready"] = t3 - T_START
        steps["ready_and_warm"] = steps["ready"]
        extra = {"keywords": ft.keywords}
    print(json.dumps({"system": args.system, "steps": steps, "memory": proc_status(), **extra}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
