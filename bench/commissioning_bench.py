"""Prints how long duplicate detection and ranking statistics take at realistic sizes.

Run: .venv/bin/python bench/commissioning_bench.py
"""

from __future__ import annotations

import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

import django  # noqa: E402

django.setup()

from proposals.similarity import BigramIndex, most_similar  # noqa: E402
from reviews.aggregation import ProposalStats  # noqa: E402

# A small vocabulary, so titles overlap far more than real ones: a worst case for duplicate detection.
WORDS = ("智能手机 太极拳 书法 摄影 烘焙 英语 口语 养老 照护 网上 挂号 缴费 防诈骗 视频 通话 理财 急救 园艺 茶艺 "
         "编程").split()


class Topic:
    def __init__(self, pk: int, title: str):
        self.pk, self.title = pk, title


def random_title(rng: random.Random) -> str:
    return "".join(rng.sample(WORDS, 3)) + rng.choice(["入门", "进阶", "班", "课程", ""])


def main() -> None:
    rng = random.Random(4)
    for size in (1_000, 5_000, 20_000):
        topics = [Topic(i, random_title(rng)) for i in range(size)]
        start = time.perf_counter()
        for _ in range(20):
            most_similar(random_title(rng), topics)
        per_check = (time.perf_counter() - start) / 20 * 1000
        print(f"duplicate check against {size:>6} topics (index built per check): {per_check:7.1f} ms")
        index = BigramIndex(topics)
        start = time.perf_counter()
        for topic in topics[:200]:
            index.query(topic.title, exclude_pk=topic.pk)
        print(f"moderation page, 200 topics checked against {size:>6}: {(time.perf_counter() - start) * 1000:7.1f} ms")
    proposals = 500
    start = time.perf_counter()
    for _ in range(proposals):
        stats = ProposalStats(proposal=None, totals=[Decimal(rng.randint(0, 1000)) / 10 for _ in range(5)],
                              recommendations=[rng.choice(["yes", "maybe", "no"]) for _ in range(5)])
        _ = (stats.mean, stats.median, stats.stdev, stats.disagreement, stats.recommendation)
    print(f"statistics for {proposals} proposals x 5 reviews: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
