"""Time ``seed_demo`` on a fresh SQLite database and print wall time, courses per second and peak memory.

    .venv/bin/python bench/seed_bench.py            # 100000 courses
    .venv/bin/python bench/seed_bench.py --courses 10000

The database and media go to a temporary directory that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="seed-bench-") as tmp:
        env = {**os.environ, "SQLITE_PATH": f"{tmp}/bench.sqlite3", "MEDIA_ROOT": f"{tmp}/media",
               "DATABASE_URL": ""}
        env.pop("DATABASE_URL")
        run(["migrate", "--noinput", "-v0"], env)
        run(["setup_site"], env)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        run(["seed_demo", "--courses", str(options.courses), "-v0"], env)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_mb = after.ru_maxrss / 1024
        size_mb = os.path.getsize(f"{tmp}/bench.sqlite3") / 1048576
    # CPU time does not depend on how busy the machine is; wall time does.
    print(f"seed_demo --courses {options.courses}: {elapsed:.1f} s wall, {cpu:.1f} s CPU, "
          f"{options.courses / elapsed:,.0f} courses/s, peak RSS {peak_mb:.0f} MB, database {size_mb:.0f} MB")


if __name__ == "__main__":
    main()
