"""A long day of photos on the real server, over Streamlit's own protocol (the classroom
bench's client: what a browser tab sends and reads), printing JSON.

    python bench/endurance.py --photos ../shared/photos-dev --scenario kept --n 100
    python bench/endurance.py --photos ../shared/photos-dev --scenario single --n 300
    python bench/endurance.py --photos ../shared/photos-dev --scenario class --browsers 20 --n 15

kept:   one student adds photos one after another to the Photo page's multi-file uploader,
        which keeps every one (the page re-runs over all of them each time);
single: one student uploads photos one at a time, each replacing the previous one;
class:  N browsers at once, each uploading its photos one at a time.
Every 25 photos the server's resident memory (RSS, from /proc) is recorded; each upload's
time to answer is recorded; medians of the early (6-30) and late (last 25) answers are
reported beside the growth from photo 25 to the last. Photos are read where they are.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from classroom import ProtocolClient, pick_photos  # noqa: E402
from server import StreamlitServer  # noqa: E402


async def add_photo(client: ProtocolClient, uploader_id: str, photo: Path, kept: list) -> float:
    """Upload one photo beside the uploader's `kept` files; seconds until the answer."""
    t0 = time.monotonic()
    await client.upload(uploader_id, photo, kept)
    if not any(a.format in (2, 4) for a in client.alerts()):
        raise RuntimeError("no answer: " + "; ".join(a.body[:100] for a in client.alerts())[:300])
    return time.monotonic() - t0


async def one_browser(url: str, photos: list[Path], keep: bool, timeout: float, on_photo=None) -> list[float]:
    client = ProtocolClient(url, "photo", timeout)
    await client.open()
    try:
        await client.rerun()
        uploader = client.find("file_uploader")
        if uploader is None:
            raise RuntimeError("the Photo page shows no file uploader")
        kept, times = [], []
        for i, photo in enumerate(photos):
            if not keep:
                kept.clear()
            times.append(await add_photo(client, uploader.id, photo, kept))
            if on_photo:
                on_photo(i + 1)
        return times
    finally:
        await client.close()


def summary(times: list[float], rss: dict) -> dict:
    late = times[-25:]
    early = times[5:30] if len(times) >= 30 else times[:len(times) // 2]
    first, last = min(rss), max(rss)
    return {"photos": len(times), "rss_mb": rss,
            "growth_mb_from_25": round(rss[last] - rss[25], 1) if 25 in rss and last != 25 else None,
            "early_median_s": round(statistics.median(early), 3) if early else None,
            "late_median_s": round(statistics.median(late), 3),
            "late_over_early": round(statistics.median(late) / statistics.median(early), 2) if early else None,
            "rss_start_mb": rss[first]}


async def run(scenario: str, server: StreamlitServer, photos: list[Path], browsers: int, n: int,
              timeout: float) -> dict:
    rss = {0: round(server.rss_mb(), 1)}
    done = [0]

    def sample(k: int) -> None:
        done[0] += 1
        if done[0] % 25 == 0:
            rss[done[0]] = round(server.rss_mb(), 1)

    if scenario in ("kept", "single"):
        times = await one_browser(server.url, photos[:n], scenario == "kept", timeout, sample)
    else:
        lists = [photos[(b * n) % len(photos):][:n] or photos[:n] for b in range(browsers)]
        results = await asyncio.gather(*(one_browser(server.url, lst, False, timeout, sample) for lst in lists))
        times = [t for r in results for t in r]
        rss[done[0]] = round(server.rss_mb(), 1)
    out = summary(times, rss)
    if scenario == "class":
        out["p95_s"] = round(sorted(times)[int(0.95 * (len(times) - 1))], 3)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--photos", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "photos-dev"))
    p.add_argument("--scenario", choices=("kept", "single", "class"), default="kept")
    p.add_argument("--n", type=int, default=100, help="photos (per browser for 'class')")
    p.add_argument("--browsers", type=int, default=20)
    p.add_argument("--timeout", type=float, default=120)
    a = p.parse_args(argv)
    total = a.n * (a.browsers if a.scenario == "class" else 1)
    photos = pick_photos(Path(a.photos), min(total, 341))
    photos = (photos * (total // len(photos) + 1))[:total]
    with StreamlitServer() as server:
        out = asyncio.run(run(a.scenario, server, photos, a.browsers, a.n, a.timeout))
    out = {"scenario": a.scenario, **out}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
