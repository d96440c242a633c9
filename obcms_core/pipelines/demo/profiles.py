"""Where OBCs live and who they are, per province: presence, share, poverty, groups."""

from __future__ import annotations

import re
from dataclasses import dataclass

from obcms_core.domain.enums import EthnolinguisticGroup as G


@dataclass(frozen=True)
class Profile:
    presence: float  # relative chance that a barangay hosts an OBC community
    obc_share: float  # mean OBC fraction of a host barangay's population
    poverty: float  # 0 very low … 5 extremely high
    groups: dict[G, float]


def _p(presence: float, share: float, poverty: float, **groups: float) -> Profile:
    return Profile(presence, share, poverty, {G(k): v for k, v in groups.items()})


# Keys are province names folded: lower case, without "city of", "city" or "(huc)".
PROFILES: dict[str, Profile] = {
    "sulu": _p(3.0, 0.90, 4.6, tausug=0.74, sama=0.14, badjao=0.08, jama_mapun=0.02, other=0.02),
    "isabela": _p(2.5, 0.55, 3.5, yakan=0.40, tausug=0.28, sama=0.24, badjao=0.06, other=0.02),
    "zamboanga": _p(2.5, 0.35, 2.5, tausug=0.38, sama=0.28, badjao=0.10, yakan=0.12,
                    maguindanaon=0.04, jama_mapun=0.02, molbog=0.01, palawani=0.01, other=0.04),
    "zamboanga sibugay": _p(1.5, 0.25, 3.5, tausug=0.28, sama=0.24, maguindanaon=0.14,
                            iranun=0.10, kolibugan=0.18, other=0.06),
    "zamboanga del sur": _p(1.2, 0.15, 3.0, kolibugan=0.26, maguindanaon=0.20, tausug=0.18,
                            sama=0.14, iranun=0.10, meranaw=0.06, other=0.06),
    "zamboanga del norte": _p(1.0, 0.15, 4.0, kolibugan=0.30, tausug=0.24, sama=0.20,
                              meranaw=0.10, jama_mapun=0.03, other=0.13),
    "lanao del norte": _p(3.0, 0.45, 3.5, meranaw=0.72, iranun=0.15, maguindanaon=0.05, other=0.08),
    "iligan": _p(2.0, 0.25, 2.5, meranaw=0.86, iranun=0.05, other=0.09),
    "misamis occidental": _p(0.8, 0.12, 3.0, meranaw=0.60, tausug=0.10, kolibugan=0.10,
                             iranun=0.10, other=0.10),
    "misamis oriental": _p(0.6, 0.10, 2.0, meranaw=0.70, maguindanaon=0.10, iranun=0.05,
                           other=0.15),
    "cagayan de oro": _p(1.0, 0.12, 1.5, meranaw=0.75, maguindanaon=0.10, tausug=0.05, other=0.10),
    "bukidnon": _p(0.4, 0.10, 3.0, meranaw=0.60, maguindanaon=0.25, iranun=0.05, other=0.10),
    "camiguin": _p(0.1, 0.05, 2.5, meranaw=0.50, other=0.50),
    "davao de oro": _p(0.8, 0.15, 3.0, kagan_kalagan=0.60, maguindanaon=0.20, meranaw=0.10,
                       tausug=0.05, other=0.05),
    "davao del norte": _p(0.8, 0.12, 2.5, kagan_kalagan=0.55, maguindanaon=0.20, meranaw=0.10,
                          tausug=0.10, other=0.05),
    "davao del sur": _p(1.0, 0.15, 2.5, kagan_kalagan=0.35, maguindanaon=0.30, meranaw=0.15,
                        tausug=0.10, other=0.10),
    "davao": _p(1.2, 0.12, 1.5, maguindanaon=0.30, meranaw=0.25, tausug=0.20,
                kagan_kalagan=0.15, sama=0.05, other=0.05),
    "davao occidental": _p(1.2, 0.20, 4.0, sangil=0.35, kagan_kalagan=0.35, maguindanaon=0.15,
                           sama=0.10, other=0.05),
    "davao oriental": _p(0.8, 0.15, 3.5, kagan_kalagan=0.65, maguindanaon=0.10, sama=0.10,
                         tausug=0.05, other=0.10),
    "cotabato": _p(2.5, 0.35, 3.5, maguindanaon=0.75, iranun=0.10, meranaw=0.08, other=0.07),
    "south cotabato": _p(1.2, 0.18, 2.5, maguindanaon=0.70, meranaw=0.10, iranun=0.05,
                         tausug=0.05, other=0.10),
    "sarangani": _p(2.0, 0.30, 4.0, maguindanaon=0.45, sangil=0.30, kagan_kalagan=0.10,
                    sama=0.05, tausug=0.05, other=0.05),
    "general santos": _p(1.5, 0.15, 2.0, maguindanaon=0.50, sangil=0.15, tausug=0.10,
                         meranaw=0.10, sama=0.05, other=0.10),
    "sultan kudarat": _p(2.5, 0.40, 3.5, maguindanaon=0.65, iranun=0.15, meranaw=0.05,
                         tausug=0.05, other=0.10),
}
ALIASES = {"compostela valley": "davao de oro", "north cotabato": "cotabato"}
REGION_DEFAULTS: dict[str, Profile] = {
    "IX": _p(1.0, 0.20, 3.5, tausug=0.35, sama=0.30, kolibugan=0.15, yakan=0.10, other=0.10),
    "X": _p(0.8, 0.15, 2.8, meranaw=0.75, iranun=0.10, other=0.15),
    "XI": _p(0.8, 0.12, 2.8, kagan_kalagan=0.50, maguindanaon=0.25, tausug=0.10, other=0.15),
    "XII": _p(1.5, 0.25, 3.3, maguindanaon=0.70, iranun=0.10, sangil=0.05, other=0.15),
}
FALLBACK = _p(0.5, 0.10, 3.0, maguindanaon=0.4, meranaw=0.3, tausug=0.2, other=0.1)


def fold_province(name: str) -> str:
    """'CITY OF ZAMBOANGA', 'Zamboanga City' and 'ZAMBOANGA CITY (HUC)' all become 'zamboanga'."""
    key = re.sub(r"\(.*?\)", " ", name.lower())
    key = re.sub(r"^city of\s+|\s+city$", "", " ".join(key.split()))
    key = key.replace("ñ", "n")
    return ALIASES.get(key, key)


def profile_for(province: str, region_code: str) -> Profile:
    """The province's profile, else its region's, else a generic Mindanao mix."""
    return PROFILES.get(fold_province(province)) or REGION_DEFAULTS.get(region_code, FALLBACK)
