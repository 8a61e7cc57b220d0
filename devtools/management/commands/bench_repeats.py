"""Time the search for repeats (petitions/repeats.py) of a new petition among N earlier ones
(100,000 by default) of one council, on PostgreSQL in a scratch database of its own, and print
the median, against the target of 200 ms. Earlier petitions: 20 rounds (ten years of two
sittings), 100 communes, each asking for some of 40 things in the words voters use; every
timed petition says again, in other words, one of them, which must come first."""

import datetime
import random
import statistics
import time

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import connection

from conclusions.models import Committee, Council, Membership
from devtools.scratch import ScratchCommand
from petitions.models import Petition
from petitions.repeats import repeat_suggestions
from petitions.services import round_open
from petitions.text import locality_key, subject_of

TARGET_MS = 200
ROUNDS = 20
COMMUNES = [
    f"xã {name} {n}" for name in ("Tân Phú", "Long Thạnh", "Vị Tân", "Hòa An") for n in range(1, 26)
]
TOPICS = [
    "sửa chữa tuyến đường giao thông nông thôn",
    "xây dựng cầu bê tông thay cầu khỉ qua kênh",
    "lắp đặt đèn chiếu sáng công cộng",
    "hỗ trợ đào tạo nghề cho lao động nông thôn",
    "giới thiệu việc làm cho thanh niên",
    "đầu tư hệ thống nước sạch cho hộ dân",
    "hỗ trợ mức đóng bảo hiểm y tế cho hộ cận nghèo",
    "cấp giấy chứng nhận quyền sử dụng đất khu tái định cư",
    "nạo vét kênh thủy lợi phục vụ sản xuất",
    "xử lý sạt lở bờ sông đe dọa nhà dân",
    "sửa chữa phòng học trường tiểu học xuống cấp",
    "bổ sung bác sĩ cho trạm y tế xã",
    "giải quyết chế độ cho người có công với cách mạng",
    "xử lý ô nhiễm môi trường từ trại chăn nuôi heo",
    "hỗ trợ giống lúa cho nông dân bị thiệt hại do hạn mặn",
    "tăng cường tuần tra xử lý trộm cắp tài sản",
    "hỗ trợ vốn vay ưu đãi cho hộ nghèo chăn nuôi",
    "bồi thường giải phóng mặt bằng dự án khu dân cư",
    "xây dựng nhà văn hóa ấp",
    "kéo điện lưới quốc gia về các hộ dân",
    "nâng cấp chợ xã đã xuống cấp",
    "xử lý tình trạng lấn chiếm hành lang lộ giới",
    "ổn định giá thu mua mía cho nông dân",
    "xây dựng trường mẫu giáo điểm ấp",
    "hỗ trợ nhà ở cho hộ nghèo",
    "nâng cấp đê bao chống ngập",
    "lắp đặt camera an ninh tại các tuyến đường",
    "xây dựng bãi rác tập trung",
    "hỗ trợ chuyển đổi cây trồng trên đất lúa",
    "cấp nước tưới cho vườn cây ăn trái mùa khô",
    "giải quyết ngập úng khu dân cư khi mưa lớn",
    "hỗ trợ học bổng cho học sinh nghèo",
    "xây dựng sân thể thao cho thanh thiếu niên",
    "kiểm tra chất lượng phân bón thuốc bảo vệ thực vật",
    "tiêm phòng dịch bệnh cho đàn gia súc",
    "cải tạo nghĩa trang nhân dân",
    "phủ sóng internet cho vùng sâu",
    "bố trí giáo viên tiếng Anh cho trường trung học cơ sở",
    "nâng mức trợ cấp cho người cao tuổi",
    "làm mới biển báo giao thông tại ngã ba",
]
OPENINGS = ["Đề nghị", "Cử tri đề nghị", "Cử tri kiến nghị", "Kiến nghị các cấp quan tâm"]


class Command(ScratchCommand):
    help = (
        "Đo thời gian gợi ý kiến nghị trùng / Time the suggested repeats of a new petition "
        "among N earlier ones (PostgreSQL, scratch database)."
    )

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--petitions", type=int, default=100_000)
        parser.add_argument("--samples", type=int, default=25)

    def check_options(self, *, petitions: int, samples: int) -> None:
        if petitions < len(COMMUNES) or not 1 <= samples <= 1000:
            raise CommandError(f"--petitions at least {len(COMMUNES)}, --samples 1 to 1000.")

    def work(self, *, petitions: int, samples: int) -> None:
        rng = random.Random(7)
        rounds, committee, _clerk = _rounds()
        _earlier(rounds[:-1], committee, petitions, rng, planted=samples)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE petitions_petition")
        timings, missed = [], 0
        for sample in range(samples):
            commune, topic = COMMUNES[sample % len(COMMUNES)], TOPICS[sample % len(TOPICS)]
            text = f"Cử tri ấp {sample % 9 + 1} tiếp tục kiến nghị sớm {topic} tại {commune}."
            started = time.perf_counter()
            found = repeat_suggestions(round=rounds[-1], text=text, locality=commune)
            timings.append((time.perf_counter() - started) * 1000)
            planted = subject_of(_planted(sample), commune)
            missed += not found or found[0].petition.subject != planted
        median = statistics.median(timings)
        verdict = "OK" if median < TARGET_MS else "TOO SLOW"
        self.stdout.write(
            f"{petitions} kiến nghị trước / earlier petitions, {samples} mẫu / samples: gợi ý "
            f"trùng / repeat suggestions median {median:.1f} ms, max {max(timings):.1f} ms "
            f"({verdict}, target < {TARGET_MS} ms); found first {samples - missed}/{samples}"
        )


def _rounds():
    council = Council.objects.create(
        code="bench", name="HĐND tỉnh Thử Nghiệm", level="province", place="Thử Nghiệm"
    )
    committee = Committee.objects.create(
        council=council, code="bench-ktns", kind="economy_budget", name="Ban Kinh tế - Ngân sách"
    )
    clerk = User.objects.create_user("bench_clerk")
    Membership.objects.create(user=clerk, council=council, role="office_clerk")
    start = datetime.date(2016, 6, 1)
    rounds = [
        round_open(
            council=council,
            sitting_name=f"Kỳ họp thứ {n + 1}",
            answer_deadline={"calendar_days": 30},
            actor=clerk,
            opened_on=start + datetime.timedelta(days=182 * n),
        )
        for n in range(ROUNDS + 1)
    ]
    return rounds, committee, clerk


def _planted(sample: int) -> str:
    """The earlier petition each timed one says again (the first `samples` rows)."""
    commune, topic = COMMUNES[sample % len(COMMUNES)], TOPICS[sample % len(TOPICS)]
    return f"Đề nghị {topic} ấp {sample % 9 + 1} {commune}."


def _earlier(rounds, committee, total: int, rng: random.Random, planted: int) -> None:
    """`total` petitions spread over the rounds and communes, bulk-inserted in batches; the
    first `planted` are those the timed petitions repeat."""
    batch, number = [], {r.pk: 0 for r in rounds}
    for index in range(total):
        petition_round = rounds[index % len(rounds)]
        commune = COMMUNES[(index // len(rounds)) % len(COMMUNES)]
        topic = TOPICS[rng.randrange(len(TOPICS))]
        text = f"{rng.choice(OPENINGS)} {topic} ấp {rng.randrange(1, 10)} {commune}."
        if index < planted:
            commune, text = COMMUNES[index % len(COMMUNES)], _planted(index)
        number[petition_round.pk] += 1
        batch.append(
            Petition(
                round=petition_round,
                council_id=petition_round.council_id,
                number=number[petition_round.pk],
                text=text,
                locality=commune,
                committee=committee,
                competence="province",
                subject=subject_of(text, commune),
                locality_key=locality_key(commune),
            )
        )
        if len(batch) == 5000:
            Petition.objects.bulk_create(batch)
            batch = []
    Petition.objects.bulk_create(batch)
