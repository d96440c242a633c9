"""Word lists for demo names, places and narratives (made-up people, plausible wording)."""

from __future__ import annotations

import random

from obcms_core.pipelines.demo.base import pick

MUSLIM_FIRST = (
    "Abdul", "Abdulrahman", "Ahmad", "Aisah", "Alimoden", "Amer", "Amina", "Amirah", "Anisah",
    "Asnawi", "Bai Norhaya", "Farida", "Fatima", "Hamid", "Haron", "Ibrahim", "Ismael",
    "Jamal", "Jamila", "Johaira", "Khadija", "Mohammad", "Musa", "Naima", "Nasser", "Norhana",
    "Normina", "Omar", "Rahima", "Rashid", "Rohaida", "Saidamen", "Salma", "Samira", "Sittie",
    "Tarhata", "Yasmin", "Zainab", "Zulkifli", "Alnor", "Hadja Saripa", "Datu Ali", "Sohayle",
)
FILIPINO_FIRST = (
    "Maria", "Jose", "Ana", "Ramon", "Rosalinda", "Eduardo", "Liza", "Carlo", "Grace",
    "Michelle", "Mark", "Joy", "Ronaldo", "Teresita", "Vincent", "Arlene",
)
MUSLIM_LAST = (
    "Abdulkarim", "Adiong", "Ampuan", "Balindong", "Bantuas", "Camsa", "Dalandas",
    "Dimalotang", "Disomimba", "Guiamel", "Hassan", "Kamid", "Lidasan", "Macarambon",
    "Mamalinta", "Mangotara", "Pandapatan", "Pangcoga", "Sangcopan", "Tanggol", "Usman",
    "Jikiri", "Tulawie", "Sali", "Sahibul", "Ismael", "Salik", "Kusain", "Taha", "Amilbangsa",
    "Mamarinta", "Sarip", "Macaraya", "Gumander", "Dilangalen",
)
FILIPINO_LAST = (
    "Santos", "Reyes", "Cruz", "Dela Cruz", "Garcia", "Mendoza", "Bautista", "Villanueva",
    "Ramos", "Navarro", "Torres", "Flores", "Aquino", "Castillo",
)
SITIOS = (
    "Lumbayao", "Kalubian", "Tuburan", "Bato-Bato", "Malipayon", "Pantar", "Ilaya", "Looc",
    "Punta", "Lower Proper", "Upper Proper", "Masjid", "Bagumbayan", "Taluksangay", "Lambayong",
    "Kalamansig", "Lumbac", "Bukana", "Dalapuan", "Kabaritan", "Sapa", "Pulo", "Tibanban",
    "Madayaw", "Lapuyan", "Tagbak", "Dapdap", "Maliwanag", "Kasanyangan", "Suba", "Tambis",
    "Pinaglabanan", "Kawayan", "Bantayan", "Kiputi", "Labuan", "Maranding", "Salaman",
)
DESIGNATIONS = (
    "Planning Officer III", "Chief, Planning and Budget Division", "Administrative Officer V",
    "Project Development Officer II", "Director II", "Planning Officer II",
)
TECH_DESIGNATIONS = ("Engineer III", "Information Systems Analyst II", "Statistician II",
                     "Project Evaluation Officer II")
SUBMITTER_ROLES = ("Barangay Chairperson", "Imam", "OBC community leader",
                   "Women's association president", "Youth leader", "Barangay kagawad")
OOBC_PROGRAMS = (
    "Mapping and Needs Assessment (MANA) of OBCs",
    "OBC inter-agency coordination and monitoring",
    "Capacity development for OBC leaders and LGU focal persons",
    "Bangsamoro identity and cultural caravan for OBCs",
    "OBC community profiling and data system",
    "Policy research and advocacy for OBC welfare",
    "Quick-response assistance to OBCs in crisis",
)
MILESTONES = (
    "Consultation with OBC leaders and host LGUs",
    "Technical working group convened",
    "Policy paper endorsed by the implementing MOA",
    "Recommendation submitted to the Office of the Chief Minister",
    "Budget proposal included in the BEP",
    "Pilot implementation in selected barangays",
    "Mid-term monitoring and validation",
    "Evaluation report and lessons learned",
)
ACCOMPLISHMENTS = (
    "Delivered {n} starter kits to OBC beneficiaries in {area}.",
    "Completed {n} of the planned OBC sub-projects in {area}.",
    "Trained {n} OBC participants with the host LGUs of {area}.",
    "Released the first tranche of funds to {n} OBC community associations in {area}.",
)
CHALLENGES = (
    "Procurement was delayed by a failed bidding.",
    "Beneficiary lists from host LGUs arrived late.",
    "Heavy rains and flooding held up site work.",
    "Security concerns limited field validation in some barangays.",
    "Counterpart funds from LGUs were not yet released.",
)
PLANS = (
    "Complete turnover of finished sub-projects and start monitoring visits.",
    "Finish procurement and begin delivery before the end of the quarter.",
    "Validate the remaining beneficiaries with OOBC field staff.",
    "Submit liquidation reports and prepare next year's proposal.",
)
FEEDBACK = {
    1: ("The support arrived very late and did not match what we asked for.",
        "Nobody explained the requirements; we were turned away twice."),
    2: ("Only part of the promised items arrived.", "The process took too long for our members."),
    3: ("Helpful, but the training was too short.", "Good start; follow-up visits are needed."),
    4: ("The assistance reached the right families.", "Staff were respectful and explained well."),
    5: ("Our association now earns every week. Thank you.",
        "Fast, fair and delivered in our own barangay."),
}
VENUES = ("Cotabato City, Bangsamoro Government Center", "Zamboanga City", "Iligan City",
          "Davao City", "General Santos City", "Pagadian City")


GROUP_NAMES = {"kagan_kalagan": "Kagan", "jama_mapun": "Jama Mapun", "other": "Bangsamoro"}


def group_name(group: str) -> str:
    """How people call the group in a sentence: 'Kagan', 'Jama Mapun', 'Tausug'."""
    return GROUP_NAMES.get(group, group.capitalize())


def person(rng: random.Random, muslim_share: float = 0.8) -> tuple[str, str]:
    """A made-up (first, last) name; most OBC-facing staff and residents are Bangsamoro."""
    if rng.random() < muslim_share:
        return pick(rng, MUSLIM_FIRST), pick(rng, MUSLIM_LAST)
    return pick(rng, FILIPINO_FIRST), pick(rng, FILIPINO_LAST)


def full_name(rng: random.Random, muslim_share: float = 0.8) -> str:
    """A made-up full name."""
    first, last = person(rng, muslim_share)
    return f"{first} {last}"


def fake_email(first: str, last: str, domain: str) -> str:
    """An address under example.gov.ph, which cannot reach anyone."""
    local = ".".join(first.lower().replace("'", "").split()[-1:] + last.lower().split())
    return f"{local}@{domain}.example.gov.ph"


def fake_phone(rng: random.Random) -> str:
    """A mobile number in the 555 block, which is not assigned to anyone."""
    return f"+63 9{rng.randint(10, 99)} 555 {rng.randint(0, 9999):04d}"
