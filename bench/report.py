"""Render the result JSON files into the tables of ``bench/BENCHMARKS.md``.

    python bench/report.py            # rewrite the generated sections from bench/results/*.json

BENCHMARKS.md keeps its prose; each table lives between ``<!-- generated:NAME -->`` and
``<!-- /generated:NAME -->`` and is replaced wholesale, so the numbers in the file are always the
ones in the JSON files (and a missing JSON leaves a note rather than stale numbers).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from common import BENCH_DIR, RESULTS_DIR

DOC = BENCH_DIR / "BENCHMARKS.md"


def _load(name: str, results: Path) -> dict | None:
    path = results / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _f(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    return f"{value}{suffix}"


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _mb(value) -> str:
    return "-" if not value else f"{value / 1e6:,.0f} MB"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ sections


def machine(results: Path) -> str:
    """The machine and the load during each benchmark."""
    rows = []
    m = None
    for name in ("extraction", "streaming", "scaling"):
        d = _load(name, results)
        if not d:
            rows.append([name, "not run", "-", "-", "-"])
            continue
        m = m or d["machine"]
        rows.append([name, d["measured_at"], " ".join(map(str, d.get("load_before") or [])),
                     " ".join(map(str, d.get("load_after") or [])), _f(d.get("duration_s"), 0, " s")])
    if not m:
        return "_No results yet: run `python bench/run_all.py`._"
    head = (f"- CPU: {m['cpu_model']}, `nproc` = {m['nproc']}, memory {_mb(m.get('mem_total_bytes'))}\n"
            f"- Python {m['python']} ({m['implementation']}), {m['platform']}\n")
    for name in ("extraction", "streaming", "scaling"):
        d = _load(name, results)
        code = (d or {}).get("code") or {}
        if code.get("git"):
            head += (f"- {name}: code at commit `{code['git']}` (`+dirty`: uncommitted changes in `streams/`), "
                     f"snapshot `{code.get('snapshot_digest') or 'none: live tree'}`\n")
    return head + "\n" + _table(["benchmark", "written (UTC)", "load before (1/5/15 min)", "load after", "took"], rows)


def extraction_speed(d: dict) -> str:
    """Speed per language and size, against the CPU reference and the goal."""
    rows = []
    for key, cell in d["speed"].items():
        lang, size = key.split("-")
        o = cell["systems"]["ours"]
        rows.append([lang, f"{int(size) // 1024 or 0.5} KB ({cell['texts']['mean_bytes']:.0f} B, "
                     f"{cell['texts']['mean_words']:.0f} words)",
                     _f(o["articles_per_s"]), _f(o["articles_per_cpu_s"]), _f(o["cpu_ms_per_kb"], 2),
                     _f(cell["ours_ms_p50"], 2), _f(cell["ours_ms_p95"], 2), _f(o["reference_units_per_article"], 0),
                     _f(o["cpu_share"], 2)])
    ref = d["reference"]
    note = (f"\nReference unit (same run, CPU time, calibrated before each cell): {1e6 * ref['unit_seconds']:.1f} µs "
            f"(largest/smallest calibration in the run x{ref['drift']}). Articles: "
            f"{d['settings']['articles_per_cell']} per cell; {d['settings']['size_unit']}.\n")
    return _table(["lang", "size", "articles/s (wall)", "articles per CPU-s (= per core)", "CPU ms per KB",
                   "ms p50", "ms p95", "reference units per article", "CPU share"], rows) + "\n" + note


def extraction_stages(d: dict) -> str:
    """Mean time per stage (ms per article)."""
    stages = list(next(iter(d["speed"].values()))["stages_ms"])
    rows = []
    for key, cell in d["speed"].items():
        total = sum(cell["stages_ms"].values())
        rows.append([key, *(_f(cell["stages_ms"][s], 3) for s in stages), _f(total, 2)])
    return _table(["cell", *stages, "total"], rows)


def extraction_goal(d: dict) -> str:
    """Whether the speed and accuracy goals are met."""
    g = d["goal_speed"]
    lines = []
    for lang in ("ar", "en"):
        c = g.get(lang)
        if c:
            lines.append(f"- **{lang}, 2 KB: {_f(c['articles_per_cpu_s'])} articles per CPU-second "
                         f"({_pct(c['share_of_goal'])} of the 500/s goal): "
                         f"{'met' if c['met'] else 'NOT met'}.** Wall-clock: {_f(c['articles_per_s'])}/s.")
    acc = d.get("goal_accuracy", {})
    better = acc.get("more_accurate_than", {})
    if better:
        lines.append("- **More accurate than " + ", ".join(f"{k}: {'yes' if v else 'NO'}" for k, v in better.items())
                     + f" — goal {'met' if acc.get('met') else 'NOT met'}.**")
    return "\n".join(lines)


def extraction_baselines(d: dict) -> str:
    """Speed of ours and the baselines on the same English texts."""
    rows = []
    for key, cell in d["speed"].items():
        if not key.startswith("en-"):
            continue
        s = cell["systems"]
        row = [key, _f(s["ours"]["articles_per_s"])]
        for b in ("geotext", "flashtext"):
            row += [_f(s[b]["articles_per_s"]), _f(s[b].get("ours_time_ratio"), 2)] if b in s else ["-", "-"]
        rows.append(row)
    missing = d.get("baselines_unavailable") or {}
    extra = "".join(f"\n\n{k} unavailable: {v}" for k, v in missing.items())
    return _table(["cell", "ours articles/s", "geotext articles/s", "ours time ÷ geotext",
                   "flashtext articles/s", "ours time ÷ flashtext"], rows) + extra


def extraction_accuracy(d: dict) -> str:
    """Place-resolution accuracy of each system."""
    dev = d["accuracy_devset"]
    gv = d.get("accuracy_geovirus") or {}
    rows = []
    for name, s in dev["systems"].items():
        g = (gv.get("systems") or {}).get(name, {})
        rows.append([name, _pct(s["within_161km"]), _pct(s["within_25km"]), _f(s["median_error_km"], 1),
                     str(s["no_point"]), _pct(g.get("found")), _pct(g.get("acc161_all")),
                     _pct(g.get("acc161_found")), _f(g.get("articles_per_s"))])
    head = (f"Dev set: {dev['cases']} English cases with a gold point. GeoVirus: "
            + (f"{gv['articles']} articles, {gv['toponyms']} toponyms (measured, not stored in the repository)."
               if "systems" in gv else (gv.get("skipped") or "not run (pass `--geovirus PATH`).")) + "\n\n")
    return head + _table(["system", "dev set ≤161 km", "dev set ≤25 km", "dev set median error km", "no point",
                          "GeoVirus toponyms found", "GeoVirus ≤161 km (all)", "GeoVirus ≤161 km (found)",
                          "GeoVirus articles/s"], rows)


def extraction_startup(d: dict) -> str:
    """Start-up time and memory."""
    rows = []
    for name, s in d["startup"].items():
        if "error" in s:
            rows.append([name, s["error"][:80], "-", "-", "-", "-", "-"])
            continue
        steps = ", ".join(f"{k} {v:.2f}" for k, v in s["steps_s_fastest_run"].items() if k not in ("ready", "ready_and_warm"))
        rows.append([name, _f(s["ready_s_median"], 2, " s"), _f(s.get("cpu_s_at_ready_median"), 2, " s"),
                     _f(s["ready_and_warm_s_median"], 2, " s"),
                     _mb(s["rss_bytes"]), _mb(s["rss_peak_bytes"]), steps])
    idx = d.get("index", {})
    note = "" if not idx.get("built_now") else f"\n\nThe index was missing and was built first ({idx.get('build_s')} s, not counted)."
    return _table(["system", "ready (median, wall)", "CPU time at ready", "ready + first article per language",
                   "RSS", "peak RSS",
                   "steps of the fastest run (s)"], rows) + note


def hotspots(d: dict) -> str:
    """Top functions by own time (cProfile), per profiled cell."""
    hs = d.get("hotspots")
    if not hs:
        return "_Not profiled (the speed goal was met, or a tiny run)._"
    parts = []
    for cell, h in hs.items():
        rows = [[f"`{r['function']}`", _f(r["own_ms_per_article"], 3), _pct(r["own_share"]),
                 _f(r["cum_ms_per_article"], 3), _f(r["calls_per_article"], 0)] for r in h["top_by_own_time"][:12]]
        cum = ", ".join(f"`{r['function']}` {_pct(r['cum_share'])}" for r in h["top_by_cumulative_time_in_streams"][2:10])
        parts.append(f"**{cell}** ({h['articles']} articles, {h['profiled_ms_per_article']:.1f} ms/article under "
                     f"cProfile)\n\n" + _table(["function", "own ms/article", "own share", "cumulative ms", "calls"], rows)
                     + f"\n\nCumulative (inside `streams`): {cum}\n")
    return "\n".join(parts)


def streaming(d: dict) -> str:
    """Capacity, maximum sustainable rate and latency per processor."""
    if "skipped" in d:
        return f"_Skipped: {d['skipped']}_"
    rows = []
    for mode, m in d["modes"].items():
        if "error" in m:
            rows.append([mode, m["error"][:100], *["-"] * 7])
            continue
        c = m.get("capacity", {})
        half = (m.get("half_max") or {}).get("latency_s", {})
        cap = _f(c.get("records_per_s"))
        if c.get("produce_s") and c.get("records_per_s") and c["burst"] / c["produce_s"] < 1.15 * c["records_per_s"]:
            cap = f"≥ {cap} (load generator bound: it sent {c['burst'] / c['produce_s']:,.0f}/s)"
        ready = _f(m.get("ready_s"), 1, " s") + (" (index rebuilt)" if m.get("index_rebuilt_during_start") else "")
        rows.append([mode, ready, cap, _f(c.get("records_per_cpu_s")),
                     _f(c.get("processor_cpu_ms_per_record"), 2), _f(c.get("processor_cpu_share", [None])[0], 2),
                     _f(m.get("max_sustainable_rate")), _f(half.get("p99"), 3, " s"),
                     _mb((m.get("memory") or {}).get("VmRSS"))])
    s = d["summary"]
    ratios = (f"\n\n- Faust ÷ plain loop: capacity **x{_f(s.get('faust_over_loop_capacity'), 2)}**, "
              f"max sustainable rate **x{_f(s.get('faust_over_loop_max_sustainable'), 2)}**, records per CPU-second "
              f"**x{_f(s.get('faust_over_loop_records_per_cpu_s'), 2)}** (goal ≥ x{s['goal_faust_share']}: "
              f"{'met' if s.get('goal_faust_share_met') else 'NOT met'}).\n"
              f"- Faust with the enrich agent only ÷ plain loop: capacity x{_f(s.get('faust_enrich_over_loop_capacity'), 2)}, "
              f"per CPU-second x{_f(s.get('faust_enrich_over_loop_records_per_cpu_s'), 2)}; the full worker ÷ enrich only, "
              f"per CPU-second: x{_f(s.get('faust_over_faust_enrich_records_per_cpu_s'), 2)} (the consolidate agent's share).\n"
              f"- Plain loop ÷ transport (noop): capacity x{_f(s.get('loop_over_noop_capacity'), 3)}, per CPU-second "
              f"x{_f(s.get('loop_over_noop_records_per_cpu_s'), 3)}.\n"
              f"- Faust p99 at half its maximum sustainable rate: **{_f(s.get('faust_p99_at_half_max_s'), 3, ' s')}** "
              f"(goal < {s['goal_p99_s']} s: {'met' if s.get('goal_p99_met') else 'NOT met'}).")
    return _table(["processor", "ready", "capacity records/s", "records per CPU-s", "CPU ms per record",
                   "CPU share (cores)", "max sustainable records/s", "p99 at half max", "RSS"], rows) + ratios


def streaming_points(d: dict) -> str:
    """Every steady-rate point."""
    if "skipped" in d:
        return ""
    rows = []
    for mode, m in d["modes"].items():
        points = list(m.get("points", []))
        if m.get("half_max"):
            points.append({**m["half_max"], "label": "half max"})
        for p in points:
            lat = p["latency_s"]
            rows.append([mode, p.get("label") or _f(p.get("fraction_of_capacity"), 2), _f(p["target_rate"]),
                         _f(p["achieved_send_rate"]), _pct(p["delivered_share"]), _f(lat["p50"], 3),
                         _f(lat["p95"], 3), _f(lat["p99"], 3), "yes" if p["sustained"] else "no",
                         _f(p["processor_cpu_share"][0], 2), " ".join(map(str, p["loadavg"]))])
    return _table(["processor", "fraction of capacity", "target/s", "sent/s", "delivered", "p50 s", "p95 s",
                   "p99 s", "sustained", "CPU share", "load"], rows)


def streaming_profile(d: dict) -> str:
    """py-spy: what each processor's event loop spent its samples on during the capacity burst."""
    if "skipped" in d:
        return ""
    parts = []
    for mode in ("faust", "faust-enrich", "loop"):
        spy = (d["modes"].get(mode) or {}).get("py_spy_capacity")
        if not spy or "by_task" not in spy:
            continue
        rows = [[f"`{t['task']}`", _pct(t["share"])] for t in spy["by_task"][:8]]
        incl = [[f"`{t['frame']}`", _pct(t["share"])] for t in spy["top_inclusive"][:20]]
        parts.append(f"**{mode}** ({spy['samples']} samples)\n\n" + _table(["running", "share of samples"], rows)
                     + "\n\n" + _table(["frame (inclusive)", "share"], incl) + "\n")
    return "\n".join(parts) or "_py-spy not installed: no profile._"


def scaling(d: dict) -> str:
    """1 and 2 workers on 4 partitions, and the model."""
    if "skipped" in d:
        return f"_Skipped: {d['skipped']}_"
    rows = []
    for key, r in d["runs"].items():
        if "error" in r:
            rows.append([key, r["error"][:100], *["-"] * 4])
            continue
        rows.append([r["mode"], str(r["workers"]), _f(r.get("records_per_s")), _f(r.get("records_per_cpu_s")),
                     " / ".join(_f(x, 2) for x in r.get("processor_cpu_share") or []),
                     " ".join(map(str, r.get("loadavg", [])))])
    m = d["model"]
    lines = []
    for mode in ("faust", "loop"):
        x = m.get(mode) or {}
        if x.get("r1_records_per_s") is None:
            continue
        pred = ", ".join(f"{k}: {v}/s" for k, v in (x.get("predicted_cluster_records_per_s") or {}).items())
        lines.append(f"- **{mode}**: r1 = {_f(x['r1_records_per_s'])} records/s measured "
                     f"({_f(x['r1_records_per_cpu_s'])} per CPU-second); 2 workers: {_f(x['r2_records_per_s'])}/s, "
                     f"speed-up x{_f(x['speedup_2_over_1'], 2)}, efficiency e = {_f(x['efficiency_e'], 2)}. "
                     f"Predicted with a core per worker (r1 per CPU-second x min(W, P)): {pred}.")
    return (_table(["processor", "workers", "records/s", "records per CPU-s", "CPU share per worker", "load"], rows)
            + f"\n\nModel: `{m['formula']}`. {m['notes']}\n\n" + "\n".join(lines))


def _share_of(hs: dict, cell: str, needle: str, key: str = "top_by_cumulative_time_in_streams") -> float | None:
    rows = ((hs or {}).get(cell) or {}).get(key) or []
    for r in rows:
        if needle in r["function"]:
            return r.get("cum_share", r.get("own_share"))
    return None


def summary(results: Path) -> str:
    """The headline figures and goals, each as a ratio against a reference of the same run."""
    ext, st, sc = (_load(n, results) for n in ("extraction", "streaming", "scaling"))
    lines = []
    if ext:
        g = ext["goal_speed"]
        lines.append(f"- Extraction, 2 KB articles, one core: Arabic **{_f(g['ar']['articles_per_cpu_s'])}**/s, "
                     f"English **{_f(g['en']['articles_per_cpu_s'])}**/s per CPU-second: "
                     f"{_pct(g['ar']['share_of_goal'])} and {_pct(g['en']['share_of_goal'])} of the 500/s goal "
                     f"(**{'met' if g['ar']['met'] and g['en']['met'] else 'not met'}**).")
        compiled = _load("extraction_mypyc", results)
        if compiled:
            c = compiled["goal_speed"]
            lines.append(f"- The same with the mypyc build (scripts/compile_extract.py; scripts/setup.sh builds it unless STREAMS_COMPILE=0; identical output): "
                         f"Arabic **{_f(c['ar']['articles_per_cpu_s'])}**/s, English **{_f(c['en']['articles_per_cpu_s'])}**/s "
                         f"per CPU-second ({_pct(c['ar']['share_of_goal'])} and {_pct(c['en']['share_of_goal'])} of the goal; "
                         f"**{'met' if c['ar']['met'] and c['en']['met'] else 'not met'}**).")
        en2 = ext["speed"]["en-2048"]["systems"]
        if "geotext" in en2:
            lines.append(f"- Same English 2 KB texts: our full extraction takes x{_f(en2['geotext'].get('ours_time_ratio'), 1)} "
                         f"the time of geotext and x{_f((en2.get('flashtext') or {}).get('ours_time_ratio'), 1)} that of "
                         "flashtext (which only tag place names).")
        acc = ext["accuracy_devset"]["systems"]
        gv = (ext.get("accuracy_geovirus") or {}).get("systems") or {}
        lines.append("- Place resolution within 161 km, dev set: " + ", ".join(
            f"{k} {_pct(v['within_161km'])}" for k, v in acc.items())
            + ("; GeoVirus toponyms: " + ", ".join(f"{k} {_pct(v['acc161_all'])}" for k, v in gv.items()) if gv else "")
            + f" (more accurate than both: **{'yes' if ext['goal_accuracy']['met'] else 'no'}**).")
        su = ext["startup"]["ours"]
        if "ready_s_median" in su:
            lines.append(f"- Start-up to ready with the full gazetteer: {_f(su['ready_s_median'], 2)} s wall "
                         f"({_f(su.get('cpu_s_at_ready_median'), 2)} s of CPU); resident memory {_mb(su['rss_bytes'])} "
                         "after one article per language.")
        hs = ext.get("hotspots")
        osi = _share_of(hs, "en-8192", "orig_sentence_index")
        small = ext["speed"]["en-512"]["systems"]["ours"]["cpu_ms_per_kb"]
        large = ext["speed"]["en-8192"]["systems"]["ours"]["cpu_ms_per_kb"]
        trend = "grows with size" if large > 1.1 * small else "is about constant with size"
        lines.append(f"- CPU time per KB {trend} (English: {_f(small, 2)} ms/KB at 0.5 KB, {_f(large, 2)} at 8 KB)"
                     + (f"; `Doc.orig_sentence_index` alone is {_pct(osi)} of an 8 KB English article under cProfile."
                        if osi else "."))
    if st and "summary" in st:
        s = st["summary"]
        fe = s.get("faust_enrich_over_loop_records_per_cpu_s")
        full = s.get("faust_over_loop_records_per_cpu_s")
        if fe is None:
            why = ""
        elif fe >= 0.8 and (full or 0) < 0.8:
            why = ": the gap is the consolidate agent, not Faust"
        elif fe < 0.8:
            why = ": Faust itself costs more than the plain loop"
        else:
            why = ""
        lines.append(f"- Streaming: the Faust worker delivers x{_f(s.get('faust_over_loop_capacity'), 2)} of the plain "
                     f"aiokafka loop's capacity (x{_f(s.get('faust_over_loop_records_per_cpu_s'), 2)} per CPU-second; goal "
                     f"x0.8: **{'met' if s.get('goal_faust_share_met') else 'not met'}**). Faust with the enrich agent only: "
                     f"x{_f(s.get('faust_enrich_over_loop_capacity'), 2)} (x{_f(s.get('faust_enrich_over_loop_records_per_cpu_s'), 2)} "
                     f"per CPU-second){why}.")
        faust = st["modes"].get("faust") or {}
        half_rate = (faust.get("half_max") or {}).get("target_rate")
        others = [p for p in faust.get("points", []) if half_rate and p["target_rate"] <= 1.25 * half_rate]
        spread = ""
        if others:
            spread = (" At the other rate points up to 1.25 x that rate the Faust p99 was "
                      + ", ".join(f"{_f(p['latency_s']['p99'], 3)} s at {_f(p['target_rate'])}/s" for p in others)
                      + ": on this shared box one point is not a stable figure.")
        lines.append(f"- Faust p99 at half its maximum sustainable rate: {_f(s.get('faust_p99_at_half_max_s'), 3, ' s')} "
                     f"(goal < 0.25 s: **{'met' if s.get('goal_p99_met') else 'not met'}**).{spread}")
        cc = st.get("consolidation_costs") or {}
        if cc.get("check_ms_per_incident") is not None:
            lines.append(f"- Per 2 KB article the worker emits {cc['incidents_per_article']} incidents; its consolidate "
                         f"agent checks each one's shape ({cc['check_ms_per_incident']} ms CPU) and merges it "
                         f"({cc['consolidate_ms_per_incident']} ms, measured in-process), writing "
                         f"{cc['table_writes_per_incident']} table entries (the worker sends only each key's last value per "
                         "commit as a changelog message, about half of them) besides the "
                         "incident in and the consolidated record out. A full JSON Schema validation would cost "
                         f"{cc['validate_ms_per_incident']} ms per incident.")
        elif cc.get("validate_ms_per_incident") is not None:
            lines.append(f"- Per 2 KB article the worker emits {cc['incidents_per_article']} incidents. In-process, a JSON "
                         f"Schema validation of one costs {cc['validate_ms_per_incident']} ms CPU and merging it "
                         f"{cc['consolidate_ms_per_incident']} ms; the consolidate agent measured here ran a shape "
                         "check instead of the validation (this result predates the table-write count).")
        mem = {m: (v.get("memory") or {}).get("VmRSS") for m, v in st["modes"].items()}
        lines.append("- Resident memory after the capacity burst: " + ", ".join(f"{m} {_mb(v)}" for m, v in mem.items()) + ".")
    if sc and "model" in sc:
        f = sc["model"].get("faust") or {}
        lines.append(f"- Scaling, 4 partitions: 2 Faust workers deliver x{_f(f.get('speedup_2_over_1'), 2)} of one on this "
                     f"shared 2-core box; one worker processes {_f(f.get('r1_records_per_cpu_s'))} records per CPU-second.")
    return "\n".join(lines) or "_No results yet._"


SECTIONS = {
    "summary": (None, summary),
    "machine": (None, machine),
    "extraction-goal": ("extraction", extraction_goal),
    "extraction-speed": ("extraction", extraction_speed),
    "extraction-stages": ("extraction", extraction_stages),
    "extraction-baselines": ("extraction", extraction_baselines),
    "extraction-accuracy": ("extraction", extraction_accuracy),
    "extraction-startup": ("extraction", extraction_startup),
    "extraction-hotspots": ("extraction", hotspots),
    "streaming": ("streaming", streaming),
    "streaming-points": ("streaming", streaming_points),
    "streaming-profile": ("streaming", streaming_profile),
    "scaling": ("scaling", scaling),
}


def render(doc: str, results: Path = RESULTS_DIR) -> str:
    """``doc`` with every generated section replaced from the JSON files in ``results``."""
    for name, (source, fn) in SECTIONS.items():
        if source is None:
            body = fn(results)
        else:
            data = _load(source, results)
            body = fn(data) if data else f"_No `{source}.json` yet: run `python bench/run_all.py`._"
        pattern = re.compile(rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- /generated:{name} -->)", re.S)
        doc, n = pattern.subn(lambda m, b=body: m.group(1) + b.rstrip("\n") + "\n" + m.group(2), doc)
        if n == 0:
            print(f"BENCHMARKS.md has no section '{name}'", file=sys.stderr)
    return doc


def main() -> int:
    """Rewrite BENCHMARKS.md's generated sections in place."""
    DOC.write_text(render(DOC.read_text()))
    print(f"rewrote {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
