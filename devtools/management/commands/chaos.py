"""Chaos, with figures: sweepers and dispatchers in processes of their own, killed at random
(SIGKILL), PostgreSQL restarted and the mail server taken away meanwhile; then the check that
every case stands on the rung it should with one event per rung, and that every delivery was
sent, none lost, and how many twice. On a private PostgreSQL cluster of its own
(devtools/chaos.py); refuses to start outside a scratch database like every devtools tool."""

import json
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.test.utils import override_settings

from devtools import chaos
from devtools.scratch import ScratchCommand, _migrate, check_local, run_inside


class Command(ScratchCommand):
    help = (
        "Chạy thử hỗn loạn / Chaos run: kill sweepers and dispatchers at random, restart "
        "PostgreSQL, take the mail server away, then check that nothing was lost or doubled."
    )
    needs_postgresql = False  # it brings its own

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--seated", type=int, default=100, help="agencies with an officer")
        parser.add_argument("--seconds", type=float, default=900, help="wall clock of the chaos")
        parser.add_argument("--days", type=float, default=60, help="virtual days meanwhile")
        parser.add_argument("--kills", type=int, default=1000)
        parser.add_argument("--sweepers", type=int, default=3)
        parser.add_argument("--dispatchers", type=int, default=3)
        parser.add_argument("--outage", type=float, default=60, help="seconds without SMTP")
        parser.add_argument("--no-restart", action="store_true", help="keep PostgreSQL up")
        parser.add_argument("--drain", type=float, default=600, help="seconds to finish after")

    def check_options(self, *, cases: int, seated: int, kills: int, seconds: float, **o) -> None:
        if not 0 < seated <= min(cases, 1000) or kills < 0 or seconds <= 0:
            raise CommandError(
                "--seated phải từ 1 đến số hồ sơ (tối đa 1000), --kills ≥ 0, --seconds > 0. / "
                "--seated must be 1 to --cases (at most 1000), --kills ≥ 0, --seconds > 0."
            )

    def _run_in_scratch(self, options: dict, *, keep: bool) -> None:
        """Unlike the other tools: the scratch database is on a PostgreSQL cluster of the run's
        own, which it may restart without disturbing anyone."""
        self.check_options(**options)
        with chaos.private_postgresql() as cluster:
            url = cluster.url(chaos.DATABASE)
            check_local(url)
            _migrate(url)
            inner = options | {"cluster": [cluster.bin, cluster.data, cluster.port]}
            arguments = [self.name, "--in-scratch", json.dumps(inner)]
            run_inside(url, arguments, stdout=self.stdout, stderr=self.stderr)

    def work(self, *, cluster=None, no_restart: bool, **options) -> None:
        plan = chaos.Plan(restart=not no_restart, **options)
        with tempfile.TemporaryDirectory(prefix="dondoc_chaos_") as folder:
            run = chaos.Run(plan, cluster and chaos.Cluster(*cluster), Path(folder), self.say)
            start = chaos.moment()
            self.say(f"Building {plan.cases:,} cases, {plan.seated} agencies with an officer …")
            chaos.build_world(
                cases=plan.cases, seated=plan.seated, webhook_url=run.webhook_url, now=start
            )
            with override_settings(**run.email_settings()):
                clock = run.go(start)
                findings = chaos.check(clock.end, run.smtp, run.hooks)
                evidence = chaos.lost_deliveries(findings.lost_ids, clock.began)
        self._report(plan, run.happened, findings, clock)
        if failures := findings.failures():
            raise CommandError("\n".join(["; ".join(failures), *evidence]))

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _report(self, plan, happened, findings, clock) -> None:
        kills = happened.kills
        drained = f"{happened.drained_in:.0f} s" if happened.drained_in is not None else "no"
        lines = [
            f"chaos: {plan.seconds:.0f} s, the ladder moved {plan.days:g} days "
            f"(to {clock.end:%d/%m/%Y %H:%M}), {plan.sweepers} sweepers and "
            f"{plan.dispatchers} dispatchers",
            f"kills (SIGKILL): {sum(kills.values())} ({kills['sweeper']} sweepers, "
            f"{kills['dispatcher']} dispatchers); workers that ended by themselves: "
            f"{happened.exits}",
            "PostgreSQL restarted at: "
            + (f"{happened.restarted_at:.0f} s" if happened.restarted_at is not None else "no"),
            "SMTP sink away: "
            + ("{:.0f}–{:.0f} s".format(*happened.outage) if happened.outage else "no"),
            f"work finished after the chaos within: {drained}",
            f"cases: {findings.cases:,}; escalation events: {findings.events:,} "
            f"({findings.during:,} while the clock ran; {findings.jumps:,} for several rungs "
            "crossed between two sweeps)",
            "cases by rung: "
            + ", ".join(f"{lvl}: {n:,}" for lvl, n in sorted(findings.by_level.items())),
            f"cases not at the rung they should have reached: {findings.wrong_rung}",
            f"cases still due at the end: {findings.still_due}",
            f"cases with two events on one rung: {findings.twice_on_a_rung}",
            f"cases whose level has no event: {findings.level_without_event}",
        ]
        for channel in ("inapp", "email", "webhook"):
            lines.append(
                f"{channel} deliveries: {findings.deliveries[channel]:,}; "
                f"lost: {findings.lost[channel]}; received twice: {findings.twice[channel]}"
            )
        lines += [
            "deliveries not sent: "
            + (", ".join(f"{s}: {n}" for s, n in findings.not_sent.items()) or "0"),
            f"emails taken as sent after their dispatcher died mid-send: "
            f"{findings.unconfirmed} (received by the sink: {findings.unconfirmed_received})",
            "invariants: " + ("ok" if not findings.failures() else "BROKEN"),
        ]
        for line in lines:
            self.say(line)
