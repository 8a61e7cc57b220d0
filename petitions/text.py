"""What a petition says, reduced to its subject, so that the same request written twice looks
alike (petitions/repeats.py compares these).

Voters' petitions are compiled by different clerks in different words: "Đề nghị sửa chữa tuyến
đường giao thông nông thôn ấp 3 xã Vị Thanh" comes back as "Cử tri ấp 3 tiếp tục kiến nghị sớm
nâng cấp đường GTNT tại xã Vị Thanh". The subject keeps the words that say WHAT is asked: the
place names go (the locality is compared apart, and a commune's name would make every petition
of that commune look alike), the formulas of a petition go ("cử tri … tiếp tục kiến nghị sớm"),
abbreviations are written out and a few verbs that ask for the same work become one. Diacritics
stay: PostgreSQL drops them in the index (immutable_unaccent), `fold` does it here."""

import re
import unicodedata

from conclusions.rules import search_key

# Administrative units followed by a name ("xã Vị Thanh", "ấp 3", "khu vực 2", "phường 7").
_PLACE = re.compile(
    r"\b(?:ấp|xã|phường|thị trấn|thị xã|khu vực|khóm|huyện|tỉnh|thành phố|tp\.?|thôn|tổ|"
    r"đặc khu|khu phố|kênh|rạch|sông)\s+"
    r"(?:số\s+)?(?:\d+[a-z]?|[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\wÀ-ỹ]*(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\wÀ-ỹ]*){0,3})",
    re.UNICODE,
)
ABBREVIATIONS = {
    "gtnt": "giao thông nông thôn",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "qsdđ": "quyền sử dụng đất",
    "gcn": "giấy chứng nhận",
    "gcnqsdđ": "giấy chứng nhận quyền sử dụng đất",
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "nts": "nước sạch",
    "đtnd": "đào tạo nghề",
}
# The same work asked for in other words.
SYNONYMS = [
    (r"nâng cấp|cải tạo|tu sửa|sửa chữa lại|làm lại|bê tông hóa|trải nhựa|thảm nhựa", "sửa chữa"),
    (r"khắc phục|xử lý|ngăn chặn", "xử lý"),
    (r"chưa có|không có|thiếu", "thiếu"),
    (r"bố trí|bổ sung|tăng cường", "bổ sung"),
    (r"xây mới|làm mới|đầu tư xây dựng", "xây dựng"),
    (r"hư hỏng nặng|hư hỏng|xuống cấp nghiêm trọng|xuống cấp|sạt lở", "hư hỏng"),
    (r"chi trả|thanh toán", "chi trả"),
    (r"lộ\b", "đường"),
    (r"cây cầu|cầu treo|cầu bê tông|cầu gỗ", "cầu"),
]
# The formulas of a petition and words that carry no subject.
FILLERS = (
    "cử tri",
    "tiếp tục",
    "kiến nghị",
    "đề nghị",
    "phản ánh",
    "đề xuất",
    "yêu cầu",
    "mong muốn",
    "quan tâm",
    "xem xét",
    "sớm",
    "khẩn trương",
    "các cấp",
    "có thẩm quyền",
    "ngành chức năng",
    "cơ quan chức năng",
    "địa phương",
    "địa bàn",
    "người dân",
    "nhân dân",
    "bà con",
    "hiện nay",
    "nhiều năm",
    "lần",
    "tuyến",
    "đoạn",
    "tại",
    "của",
    "cho",
    "và",
    "các",
    "những",
    "để",
    "được",
    "trên",
    "nơi",
    "này",
    "đã",
    "đang",
    "chưa",
    "rất",
    "thuộc",
    "với",
    "thêm",
    "lại",
    "về",
    "vẫn",
    "có",
    "bị",
    "phải",
    "đầu tư",
    "hệ thống",
    "tình trạng",
    "nhiều",
    "không",
    "từ",
    "do",
    "rồi",
    "nữa",
)
_FILLER = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in FILLERS) + r")\b")
_ABBREVIATION = re.compile(r"\b(" + "|".join(map(re.escape, ABBREVIATIONS)) + r")\b")
_NOT_WORD = re.compile(r"[^\w]+")


def subject_of(text: str, locality: str = "") -> str:
    """The subject of a petition: lower case, with diacritics, without places or formulas."""
    text = unicodedata.normalize("NFC", text)
    if locality:
        text = text.replace(locality.strip(), " ")
    text = _PLACE.sub(" ", text).lower()
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    for pattern, word in SYNONYMS:
        text = re.sub(r"\b(?:" + pattern + r")\b", word, text)
    text = _FILLER.sub(" ", _NOT_WORD.sub(" ", text))
    return " ".join(text.split())[:2000]


def locality_key(locality: str) -> str:
    """A commune or ward as one key: "xã Vị Thanh", "Xã Vị Thanh" and "Vị Thanh" are one."""
    words = search_key(locality.replace(",", " ")).split()
    units = {"xa", "phuong", "thi", "tran", "dac", "khu"}
    while words and words[0] in units:
        words = words[1:]
    return " ".join(words)[:200]


def fold(text: str) -> str:
    """Without diacritics, as PostgreSQL's unaccent folds it (đ → d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in _NOT_WORD.split(text.lower()):
        if word:
            padded = f"  {word} "
            grams |= {padded[i : i + 3] for i in range(len(padded) - 2)}
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of both."""
    first, second = trigrams(fold(a)), trigrams(fold(b))
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
