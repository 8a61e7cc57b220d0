"""Repeats: the petitions of earlier sittings of the same council that ask the same thing.

Two petitions are compared by their subjects (petitions/text.py: what is asked, without the
places and the formulas of a petition) with pg_trgm's trigram similarity over the subjects
without diacritics, among the petitions of the same commune or ward: a road in another commune
is another road. A petition for the whole province is compared with all of them, through the
trigram index (`%`). On SQLite the same similarity is computed in Python over the commune's
petitions. THRESHOLD was tuned on fixtures/petitions/repeat_pairs.yaml: the repeats there score
0.63 and more, the unrelated petitions of the same commune 0.36 at most."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, Value

from petitions.models import Petition, PetitionRound
from petitions.text import locality_key, similarity, subject_of

THRESHOLD = 0.45
LIMIT = 5
PROVINCE_WIDE = {"", "toan tinh", "toan thanh pho"}
SQLITE_CANDIDATES = 5000


class Unaccent(Func):
    """The immutable wrapper of unaccent the trigram index is built on (migration 0002)."""

    function = "immutable_unaccent"


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class Matches(Func):
    """pg_trgm's `%`: similar above pg_trgm.similarity_threshold, answered from the index."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


@dataclass(frozen=True)
class Suggestion:
    petition: Petition
    score: float


def earlier_rounds(round: PetitionRound):
    """The council's rounds before this one: opened earlier (or the same day, created first)."""
    return PetitionRound.objects.filter(council_id=round.council_id).filter(
        Q(opened_on__lt=round.opened_on) | Q(opened_on=round.opened_on, pk__lt=round.pk)
    )


def repeat_suggestions(
    *, round: PetitionRound, text: str, locality: str, exclude=()
) -> list[Suggestion]:
    """Best first, at most LIMIT, each with its similarity (0..1)."""
    subject = subject_of(text, locality)
    if not subject:
        return []
    key = locality_key(locality)
    candidates = Petition.objects.filter(
        council_id=round.council_id, round_id__in=earlier_rounds(round).values("pk")
    ).exclude(pk__in=list(exclude))
    if key not in PROVINCE_WIDE:
        candidates = candidates.filter(locality_key=key)
    if connection.vendor == "postgresql":
        found = _in_postgresql(candidates, subject, province_wide=key in PROVINCE_WIDE)
    else:
        found = _in_python(candidates, subject)
    return [Suggestion(p, round_score(s)) for p, s in found]


def round_score(score: float) -> float:
    return round(score, 3)


def _in_postgresql(candidates, subject: str, *, province_wide: bool):
    score = Similarity(Unaccent(F("subject")), Unaccent(Value(subject)))
    rows = candidates.annotate(score=score)
    if province_wide:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_limit(%s)", [THRESHOLD])
        rows = rows.filter(Matches(Unaccent(F("subject")), Unaccent(Value(subject))))
    rows = rows.filter(score__gte=THRESHOLD).select_related("round")
    found = rows.order_by("-score", "-round__opened_on", "-pk")[:LIMIT]
    return [(p, p.score) for p in found]


def _in_python(candidates, subject: str):
    scored = [
        (pk, similarity(subject, other))
        for pk, other in candidates.order_by("-pk").values_list("pk", "subject")[:SQLITE_CANDIDATES]
    ]
    best = sorted(
        ((pk, s) for pk, s in scored if s >= THRESHOLD), key=lambda row: (-row[1], -row[0])
    )
    best = best[:LIMIT]
    found = Petition.objects.select_related("round").in_bulk([pk for pk, _ in best])
    return [(found[pk], s) for pk, s in best]
