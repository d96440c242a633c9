"""Need categories with the words and figures the demo uses for needs and PPAs of each kind."""

from __future__ import annotations

from dataclasses import dataclass

from obcms_core.domain.enums import AppropriationClass as AC
from obcms_core.domain.enums import NeedSector as S
from obcms_core.domain.enums import PPASector


@dataclass(frozen=True)
class Theme:
    """One need category: sector, weight, typical cost, the MOAs that fund it, its phrases."""

    name: str
    sector: S
    weight: str
    frequency: float
    access: str | None  # the community access rating that makes this need more common
    cost: tuple[int, int]  # pesos, one need
    moas: tuple[str, ...]
    appropriation: AC
    slots: bool  # its PPAs count beneficiaries
    tags: str  # likely compliance tags: g=GAD c=climate i=IP p=peace s=SDG
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    asks: tuple[str, ...]
    programs: tuple[str, ...]


PPA_SECTOR = {
    S.EDUCATION: PPASector.SOCIAL, S.ECONOMIC_DEVELOPMENT: PPASector.ECONOMIC,
    S.SOCIAL_DEVELOPMENT: PPASector.SOCIAL, S.CULTURAL_DEVELOPMENT: PPASector.SOCIAL,
    S.INFRASTRUCTURE: PPASector.INFRASTRUCTURE, S.HEALTH: PPASector.SOCIAL,
    S.GOVERNANCE: PPASector.GOVERNANCE, S.ENVIRONMENT: PPASector.ENVIRONMENT,
    S.SECURITY: PPASector.PEACE_SECURITY,
}

THEMES: tuple[Theme, ...] = (
    Theme(
        "Potable water system", S.INFRASTRUCTURE, "1.50", 1.6, "access_water",
        (800_000, 6_500_000), ("MHSD", "MPW", "MOH"), AC.CO, False, "gcs",
        ("Level II water system for Sitio {sitio}, Brgy. {brgy}",
         "Spring development and rainwater catchment, Sitio {sitio}, Brgy. {brgy}",
         "Deep well with solar-powered pump for Brgy. {brgy}, {muni}"),
        ("About {hh} {group} households in Sitio {sitio} fetch water from an open spring "
         "{km} km away.",
         "The only hand pump in Brgy. {brgy} broke down and {hh} households now buy water "
         "from peddlers at ₱{n} a container."),
        ("The community asks for a Level II system with {taps} communal tap stands and a "
         "water users' association to run it.",
         "The barangay offers a lot for the reservoir and volunteers for the pipe laying."),
        ("Rural water supply for OBC communities", "Bangsamoro water for all: OBC sitios"),
    ),
    Theme(
        "Farm-to-market road", S.INFRASTRUCTURE, "1.35", 1.1, "access_roads",
        (5_000_000, 38_000_000), ("MPW", "MAFAR"), AC.CO, False, "cs",
        ("Concreting of farm-to-market road, Sitio {sitio} to Brgy. {brgy} proper",
         "{km} km farm-to-market road linking Brgy. {brgy} to the {muni} public market",
         "Gravelling and drainage of the Sitio {sitio} access road, Brgy. {brgy}"),
        ("Farmers in Sitio {sitio} carry copra and corn on horseback for {km} km; the road "
         "is impassable for weeks in the rainy season.",
         "Produce from Brgy. {brgy} loses a fifth of its value to hauling costs and spoilage."),
        ("The request covers {km} km of concrete road with two box culverts.",
         "The LGU of {muni} commits to maintain the road once completed."),
        ("Farm-to-market roads for OBC areas", "OBC connectivity and access roads program"),
    ),
    Theme(
        "Solar home systems", S.INFRASTRUCTURE, "1.10", 0.8, "access_electricity",
        (300_000, 3_000_000), ("MENRE", "MOST"), AC.CO, True, "cs",
        ("Solar home systems for off-grid households of Sitio {sitio}, Brgy. {brgy}",
         "Solar street lights and home kits for Brgy. {brgy}, {muni}"),
        ("{hh} households in Sitio {sitio} are not reached by the electric cooperative's lines.",
         "Families in Brgy. {brgy} spend ₱{n}0 a month on kerosene for lighting."),
        ("The community asks for {n2} solar home kits and training of two local technicians.",
         "A barangay energy committee will collect small fees for battery replacement."),
        ("Renewable energy access for off-grid OBC households",
         "Solar electrification of OBC sitios"),
    ),
    Theme(
        "Core shelter and housing repair", S.INFRASTRUCTURE, "1.05", 0.8, None,
        (1_000_000, 9_000_000), ("MHSD", "MSSD"), AC.CO, True, "gcs",
        ("Core shelter units for {group} families in Brgy. {brgy}",
         "Housing repair assistance for flood-affected households, Brgy. {brgy}, {muni}"),
        ("{n2} families in Brgy. {brgy} live in makeshift houses on stilts with damaged roofs.",
         "Houses in Sitio {sitio} were damaged by the last typhoon and were never repaired."),
        ("The request is for {n2} core shelter units on land the barangay has set aside.",
         "Beneficiaries will give labour counterpart ('bayanihan') during construction."),
        ("Core shelter assistance for OBC families", "Bangsamoro housing assistance for OBCs"),
    ),
    Theme(
        "Barangay health station", S.HEALTH, "1.40", 1.0, "access_health",
        (2_000_000, 6_000_000), ("MOH",), AC.CO, False, "gs",
        ("Construction of a barangay health station in Brgy. {brgy}, {muni}",
         "Upgrading and equipping the health station of Brgy. {brgy}"),
        ("The nearest health facility is {km} km away from Brgy. {brgy}; mothers give birth "
         "at home without a skilled attendant.",
         "The health station in Brgy. {brgy} has no running water, no delivery room and no "
         "vaccine refrigerator."),
        ("The community asks for a health station with a birthing room and a regular visit "
         "of the municipal health officer.",
         "Two {group} women already trained as barangay health workers can staff it."),
        ("Health facilities enhancement for OBC barangays", "Barangay health stations for OBCs"),
    ),
    Theme(
        "Maternal and child nutrition", S.HEALTH, "1.20", 0.9, "access_health",
        (200_000, 1_500_000), ("MOH", "MSSD"), AC.MOOE, True, "gs",
        ("Supplementary feeding for children under five in Brgy. {brgy}",
         "Maternal care and nutrition sessions for {group} mothers, Brgy. {brgy}"),
        ("The last weighing found {n2} stunted or wasted children in Brgy. {brgy}.",
         "Pregnant women in Sitio {sitio} rarely complete four prenatal check-ups."),
        ("A 120-day feeding programme with halal food packs is requested.",
         "Mothers ask for monthly nutrition classes in their own language."),
        ("First 1,000 days nutrition for OBC families", "OBC maternal and child health program"),
    ),
    Theme(
        "Sanitary toilets and WASH", S.HEALTH, "1.15", 0.9, "access_water",
        (250_000, 2_000_000), ("MOH", "MHSD"), AC.CO, True, "gcs",
        ("Sanitary toilets for households of Sitio {sitio}, Brgy. {brgy}",
         "School and madrasah WASH facilities, Brgy. {brgy}"),
        ("Only a third of households in Sitio {sitio} have a toilet; the rest use the shore.",
         "Diarrhoea cases in Brgy. {brgy} peak every rainy season."),
        ("The request is for {n2} pour-flush toilets and hygiene kits.",
         "The community will dig the pits; materials and a mason are requested."),
        ("WASH for OBC communities", "Zero open defecation in OBC barangays"),
    ),
    Theme(
        "Madrasah classrooms", S.EDUCATION, "1.30", 1.2, "access_education",
        (1_800_000, 7_500_000), ("MBHTE",), AC.CO, False, "gs",
        ("Two-classroom madrasah building for Brgy. {brgy}, {muni}",
         "Repair of the madrasah in Sitio {sitio}, Brgy. {brgy}"),
        ("{n2} pupils attend weekend madrasah classes under the mosque's eaves in Brgy. {brgy}.",
         "The madrasah in Sitio {sitio} has a leaking roof and no toilets."),
        ("The community asks for two classrooms with chairs and a teachers' table.",
         "The asatidz are volunteers; the request includes honoraria for two teachers."),
        ("Madrasah education support for OBCs",
         "Arabic Language and Islamic Values Education for OBCs"),
    ),
    Theme(
        "Scholarships for Bangsamoro youth", S.EDUCATION, "1.20", 1.0, None,
        (200_000, 2_500_000), ("MBHTE", "BYC"), AC.MOOE, True, "gs",
        ("College scholarships for {group} youth of Brgy. {brgy}",
         "Senior high school stipends for OBC learners of Brgy. {brgy}, {muni}"),
        ("Only {n2} young people from Brgy. {brgy} have finished college; most stop after "
         "high school for lack of money.",
         "OBC students in {muni} travel daily to the town centre and drop out when fares rise."),
        ("The request is for {n2} scholarships covering tuition, books and allowance.",
         "Scholars will render community service in Brgy. {brgy} during vacations."),
        ("Bangsamoro scholarship program for OBC youth", "Educational assistance for OBC learners"),
    ),
    Theme(
        "Alternative learning system and literacy", S.EDUCATION, "1.00", 0.6,
        "access_education", (150_000, 1_200_000), ("MBHTE",), AC.MOOE, True, "gis",
        ("Alternative learning system sessions for out-of-school youth, Brgy. {brgy}",
         "Adult literacy classes for {group} women in Sitio {sitio}, Brgy. {brgy}"),
        ("Many adults in Sitio {sitio} cannot read the documents they sign.",
         "{n2} out-of-school youth in Brgy. {brgy} want to complete basic education."),
        ("The community asks for a mobile teacher twice a week and learning materials.",
         "Classes would be held in the barangay hall in the evening."),
        ("Alternative learning for OBC out-of-school youth", "OBC literacy and numeracy program"),
    ),
    Theme(
        "Halal livelihood starter kits", S.ECONOMIC_DEVELOPMENT, "1.25", 1.3, None,
        (150_000, 1_500_000), ("MTIT", "BHB", "MOLE", "CSEA"), AC.MOOE, True, "gs",
        ("Halal food processing starter kits for women of Brgy. {brgy}",
         "Halal livelihood kits for {group} families, Sitio {sitio}, Brgy. {brgy}"),
        ("Women in Brgy. {brgy} make dried fish and native delicacies but cannot reach "
         "halal-certified markets.",
         "{n2} households in Sitio {sitio} depend on day labour with no steady income."),
        ("The request is for {n2} starter kits, halal certification support and a skills "
         "training.",
         "A women's association will manage a revolving fund from the kits."),
        ("Halal industry development for OBC entrepreneurs", "OBC sustainable livelihood program"),
    ),
    Theme(
        "Fishing boats and gear", S.ECONOMIC_DEVELOPMENT, "1.15", 0.9, None,
        (300_000, 2_500_000), ("MAFAR",), AC.CO, True, "cs",
        ("Motorised bancas and fishing gear for fisherfolk of Brgy. {brgy}",
         "Fishing boats for the {group} fisherfolk association, Brgy. {brgy}, {muni}"),
        ("Fisherfolk in Brgy. {brgy} lost their boats in the last storm surge.",
         "{n2} fishers in Sitio {sitio} rent boats and give half of their catch to the owner."),
        ("The request is for {n2} motorised bancas with nets and life vests.",
         "The association will register with BFAR and keep a boat-sharing schedule."),
        ("Fisheries livelihood for OBC coastal communities", "Boats and gear for OBC fisherfolk"),
    ),
    Theme(
        "Farm inputs and post-harvest facilities", S.ECONOMIC_DEVELOPMENT, "1.05", 0.9, None,
        (300_000, 3_500_000), ("MAFAR", "CSEA"), AC.CO, True, "cs",
        ("Solar dryer and corn sheller for farmers of Brgy. {brgy}",
         "Certified seeds and fertiliser for {group} farmers, Brgy. {brgy}, {muni}"),
        ("Farmers in Brgy. {brgy} dry corn on the road and lose part of every harvest to rain.",
         "{n2} farmers in Sitio {sitio} borrow from traders at high interest to buy seeds."),
        ("The request is for a post-harvest facility run by a farmers' cooperative.",
         "Seeds and fertiliser for {n2} farmers for two cropping seasons are requested."),
        ("Agricultural support for OBC farmers", "OBC post-harvest and farm inputs program"),
    ),
    Theme(
        "Birth registration & IDs", S.SOCIAL_DEVELOPMENT, "1.10", 0.8, None,
        (50_000, 400_000), ("MILG", "MSSD"), AC.MOOE, True, "gips",
        ("Mobile birth registration and ID drive for Brgy. {brgy}, {muni}",
         "Late birth registration for {group} children of Sitio {sitio}, Brgy. {brgy}"),
        ("Many children in Brgy. {brgy} have no birth certificate and cannot enrol or get "
         "PhilHealth.",
         "{n2} adults in Sitio {sitio} have no valid ID and cannot open accounts or claim aid."),
        ("The community asks for a mobile civil registry team and fee waivers.",
         "The barangay will list unregistered residents before the drive."),
        ("Civil registration and legal identity for OBCs", "OBC birth registration caravan"),
    ),
    Theme(
        "Social protection for vulnerable families", S.SOCIAL_DEVELOPMENT, "1.00", 0.8, None,
        (200_000, 2_000_000), ("MSSD",), AC.MOOE, True, "gs",
        ("Assistance for senior citizens and persons with disability, Brgy. {brgy}",
         "Emergency cash assistance for displaced {group} families, Brgy. {brgy}"),
        ("{n2} senior citizens in Brgy. {brgy} are not yet enrolled in the social pension.",
         "Families displaced to Sitio {sitio} have no regular source of food."),
        ("The request covers enrolment, cash assistance and food packs.",
         "Social workers are asked to validate the list with the barangay."),
        ("Social protection for vulnerable OBC families",
         "OBC assistance to individuals in crisis"),
    ),
    Theme(
        "Women and youth development", S.SOCIAL_DEVELOPMENT, "0.95", 0.7, None,
        (100_000, 900_000), ("BWC", "BYC"), AC.MOOE, True, "gps",
        ("Leadership and skills training for {group} women of Brgy. {brgy}",
         "Youth development and sports program, Brgy. {brgy}, {muni}"),
        ("Women in Brgy. {brgy} have few chances to take part in barangay planning.",
         "Idle youth in Sitio {sitio} are at risk of drugs and violent groups."),
        ("The request is for a season of trainings and a small grant for a youth council.",
         "The community asks for a women's centre in the barangay hall."),
        ("OBC women's empowerment program", "OBC youth leadership and development"),
    ),
    Theme(
        "Mosque and community centre repair", S.CULTURAL_DEVELOPMENT, "0.85", 0.6, None,
        (300_000, 2_500_000), ("MHSD", "MPW"), AC.CO, False, "s",
        ("Repair of the community mosque and multipurpose centre, Brgy. {brgy}",
         "Multipurpose hall for the {group} community of Sitio {sitio}, Brgy. {brgy}"),
        ("The community centre of Brgy. {brgy} also serves as evacuation site but its roof "
         "is unsafe.",
         "The {group} community in Sitio {sitio} has no place for meetings and celebrations."),
        ("The request is for roofing, toilets and a water tank.",
         "The community will provide labour and the land."),
        ("Community facilities for OBCs", "OBC multipurpose and evacuation centres"),
    ),
    Theme(
        "Cultural heritage and language programs", S.CULTURAL_DEVELOPMENT, "0.80", 0.5, None,
        (100_000, 800_000), ("BCPCH", "MBHTE"), AC.MOOE, True, "ips",
        ("{group} cultural heritage documentation and festival, Brgy. {brgy}",
         "Arabic and {group} language classes for children of Brgy. {brgy}"),
        ("Young people in Brgy. {brgy} no longer learn the songs and crafts of their elders.",
         "Children of {group} families in {muni} are losing their mother tongue."),
        ("Elders will teach weaving, music and oral history in a summer school.",
         "The request includes materials and honoraria for two culture bearers."),
        ("Bangsamoro heritage preservation for OBCs", "OBC culture and identity program"),
    ),
    Theme(
        "OBC desk and LGU representation", S.GOVERNANCE, "0.90", 0.6, None,
        (100_000, 700_000), ("MILG", "OOBC"), AC.MOOE, True, "ps",
        ("OBC affairs desk in {muni} serving Brgy. {brgy} and nearby OBCs",
         "Indigenous and Bangsamoro community representation in the Brgy. {brgy} council"),
        ("OBC residents of {muni} have no office to bring their concerns to the LGU.",
         "OBC leaders of Brgy. {brgy} are not invited to local development council meetings."),
        ("The request is for a trained OBC desk officer and an orientation of LGU staff.",
         "The community asks for a sectoral representative and a seat in planning."),
        ("Governance support for OBC participation in LGUs", "OBC desks in host LGUs"),
    ),
    Theme(
        "Mangrove rehabilitation and coastal protection", S.ENVIRONMENT, "0.95", 0.6, None,
        (200_000, 2_500_000), ("MENRE", "MAFAR"), AC.MOOE, True, "cs",
        ("Mangrove rehabilitation along the coast of Brgy. {brgy}, {muni}",
         "Coastal clean-up and marine sanctuary for Brgy. {brgy}"),
        ("The mangroves of Brgy. {brgy} were cut for fishponds and the shore now erodes.",
         "Catches near Sitio {sitio} have fallen since the reef was damaged."),
        ("The request is for {ha} hectares of mangrove planting with community wardens.",
         "Fisherfolk will guard a marine sanctuary with the LGU."),
        ("Coastal resource management in OBC areas", "Mangrove and reef rehabilitation for OBCs"),
    ),
    Theme(
        "Flood control and disaster preparedness", S.ENVIRONMENT, "1.10", 0.7, None,
        (800_000, 12_000_000), ("BDRRMC", "MPW"), AC.CO, False, "cs",
        ("Flood control and drainage for Sitio {sitio}, Brgy. {brgy}",
         "Disaster preparedness equipment and drills for Brgy. {brgy}, {muni}"),
        ("Sitio {sitio} floods every heavy rain and families evacuate several times a year.",
         "Brgy. {brgy} has no early-warning system and no rescue equipment."),
        ("The request covers a drainage canal and a riverbank protection wall.",
         "The barangay asks for rescue equipment, radios and training of responders."),
        ("Disaster risk reduction for OBC communities", "Flood mitigation in OBC areas"),
    ),
    Theme(
        "Peace and conflict resolution", S.SECURITY, "1.05", 0.6, None,
        (100_000, 900_000), ("MPOS", "BRPOC", "OOBC"), AC.MOOE, True, "ps",
        ("Rido settlement and peace dialogue for clans of Brgy. {brgy}",
         "Community peace and security council for Brgy. {brgy}, {muni}"),
        ("A clan feud in Brgy. {brgy} has displaced families and closed the school twice.",
         "Tension between groups in {muni} keeps farmers from their fields."),
        ("The community asks for mediation by religious leaders and a peace covenant signing.",
         "The request covers dialogues, a peace council and livelihood for former combatants."),
        ("Peace-building and conflict transformation in OBC areas", "OBC rido settlement program"),
    ),
    Theme(
        "Community policing and drug-free barangay", S.SECURITY, "0.85", 0.4, None,
        (100_000, 700_000), ("MPOS",), AC.MOOE, True, "ps",
        ("Drug-free barangay program and tanod training, Brgy. {brgy}",
         "Community watch and barangay tanod equipment for Brgy. {brgy}"),
        ("Young people in Brgy. {brgy} are drawn into drug use and petty crime.",
         "The barangay tanods of Brgy. {brgy} have no radios or training."),
        ("The request covers tanod training, radios and a youth sports league.",
         "Religious leaders will run awareness sessions in the mosque."),
        ("Community safety for OBC barangays", "OBC drug-free community program"),
    ),
)
