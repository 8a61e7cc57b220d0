"""Processor time of one transition through the API against `GET /api/v1/me/`:
`manage.py bench_transition --repeat 30` (in a scratch database; `--profile` prints where a
start's time goes instead)."""

import os

from devtools import bench_transition as bench
from devtools.scratch import ScratchCommand


class Command(ScratchCommand):
    help = "Đo thời gian xử lý một thao tác qua API / Processor time of one API transition."

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument(
            "--profile", nargs="?", const="start", choices=["start", "report"], help="cProfile"
        )
        parser.add_argument("--queries", action="store_true", help="the wall time of each query")

    def work(self, *, repeat: int, profile: str, queries: bool, **options) -> None:
        api, case_ids = bench.prepare(cases=max(200, (repeat + 1) * 24))
        if profile:
            self.stdout.write(bench.profile(api, case_ids, repeat, move=profile))
            return
        if queries:
            self.stdout.write(bench.queries(api, case_ids, repeat))
            return
        ms = {
            name: 1000 * value
            for name, value in bench.medians(bench.measure(api, case_ids, repeat)).items()
        }
        self.stdout.write(
            f"processor time in the request, median of {repeat} (load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
        )
        for name in bench.OPERATIONS:
            self.stdout.write(f"  {name:<7} {ms[name]:6.2f} ms  {ms[name] / ms['me']:5.1f}× /me/")
        moves = (ms["start"] + ms["report"]) / 2
        self.stdout.write(f"  one transition (start and report) {moves / ms['me']:.1f}× /me/")
