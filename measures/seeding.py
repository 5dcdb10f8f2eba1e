"""Reference data of the measures, from seed 002 (Renaissance numérique day at the Assemblée nationale).

The 19 measures are loaded with their number, origin and full text exactly as the article
gives them; the short titles and the English translations are editorial. The article gives
no status or progress: every measure starts "proposed" at 0 %. Existing rows are never
touched (staff edits win). Related links are created only to objects that resolve now.
"""

from __future__ import annotations

from django.utils import timezone

from measures.models import Measure, MeasureStatus, MeasureUpdate, Origin, RelatedLink
from portal.links import resolve
from portal.seeding import Log, create_missing

# (code, name fr, name en, group title fr — exactly as seed 002 —, group title en, numbers)
ORIGINS: list[tuple[str, str, str, str, str, range]] = [
    ("marseille", "Marseille", "Marseille", "", "", range(1, 4)),
    ("bordeaux", "Bordeaux", "Bordeaux", "", "", range(4, 7)),
    ("nantes", "Nantes", "Nantes", "", "", range(7, 10)),
    (
        "paris-groupe-1",
        "Paris, groupe 1",
        "Paris, group 1",
        "Susciter toutes les vocations avec le numérique : du stage à la création d’emplois et d’entreprises",
        "Inspiring every vocation with digital technology: from the internship to creating jobs and companies",
        range(10, 13),
    ),
    (
        "paris-groupe-2",
        "Paris, groupe 2",
        "Paris, group 2",
        "Former et éduquer au numérique : la rencontre des compétences et de l’emploi",
        "Digital training and education: where skills meet jobs",
        range(13, 16),
    ),
    (
        "paris-groupe-3",
        "Paris, groupe 3",
        "Paris, group 3",
        "Activer l’appropriation de nouveaux usages : le numérique est accélérateur de lien social",
        "Activating the take-up of new uses: digital technology accelerates social ties",
        range(16, 20),
    ),
]

# (number, origin code, short title fr, short title en, full text fr — verbatim —, full text en)
MEASURES: list[tuple[int, str, str, str, str, str]] = [
    (
        1,
        'marseille',
        'Une campagne nationale de sensibilisation au numérique',
        'A national digital awareness campaign',
        'Créer une campagne nationale et la relayer localement, ce peut être un moment fort de sensibilisation sur l’entreprise et le numérique. L’administration doit également prendre conscience de tous ces enjeux. Le relais pourrait être effectué par les membres du Social NeXtwork. Et aussi par des organismes adéquats déjà existants. Il existe des structures mais pas connues et pas utilisées. Il est nécessaire de faire connaître et de cristalliser.',
        'Create a national campaign and relay it locally; it can be a strong moment of awareness about business and digital technology. The administration must also become aware of all these stakes. The relay could be carried out by the members of the Social NeXtwork, and also by suitable organisations that already exist. Structures exist but are neither known nor used. They need to be made known and brought together.',
    ),
    (
        2,
        'marseille',
        'Le numérique en priorité dans la formation en entreprise',
        'Digital skills first in workplace training',
        'Mettre le numérique en priorité dans les formations en entreprise. Le niveau des collaborateurs fait peur et ils craignent ce secteur. L’idée est d’ouvrir ces formations à tous les secteurs en se formant à la stratégie numérique de l’entreprise. Ceci passerait par l’allocation d’un minimum formation pour rendre celle-ci obligatoire. Le numérique représentant 3 % du PIB, on pourrait imaginer qu’allouer 3 à 10 %du budget formation au numérique permettrait d’avoir un levier intéressant.',
        "Make digital technology a priority in workplace training. Employees' level is worrying and they fear this field. The idea is to open this training to every sector, learning the company's digital strategy. This would go through a minimum training allocation to make it compulsory. With digital technology accounting for 3 % of GDP, allocating 3 to 10 % of the training budget to digital could be a useful lever.",
    ),
    (
        3,
        'marseille',
        'Un baromètre de la numérisation des entreprises',
        'A barometer of how digital companies are',
        'Créer un baromètre du niveau de numérisation des entreprises. Il n’est pas possible d’avoir un pilotage sans tableau de bord. Ceci serait confié à l’observatoire du numérique qui existe déjà.',
        "Create a barometer of companies' level of digitisation. There is no steering without a dashboard. This would be entrusted to the digital observatory that already exists.",
    ),
    (
        4,
        'bordeaux',
        'Accompagner les réponses aux appels d’offres',
        'Support for answering calls for tender',
        'Créer une structure d’accompagnement pour des réponses à appels d’offres (on constate un émiettement au niveau des acteurs économiques de la région, très axée sur l’aéronautique par exemple). Il ne s’agit pas de créer une nouvelle structure mais de faire l’interface entre PME innovantes et grands comptes. Par exemple Projet Loire Atlantique. Un pourcentage de l’ensemble des marchés publics serait mis en place pour l’ensemble des acteurs numériques (nouveaux usages autour de la ville intelligente).',
        'Create a support structure for answering calls for tender (economic players in the region are fragmented, the region being very focused on aeronautics, for example). The aim is not to create a new structure but to act as the interface between innovative SMEs and large accounts, for example the Loire Atlantique project. A percentage of all public contracts would be set aside for digital players (new uses around the smart city).',
    ),
    (
        5,
        'bordeaux',
        'Des « grappes » d’entreprises numériques',
        '“Clusters” of digital companies',
        'Créer de la visibilité via des « grappes » (ce qui normal à Bordeaux, pays du Château Pétrus) d’entreprises numériques auprès des grands groupes.',
        'Create visibility for digital companies with large groups through “clusters” (“grappes”, which is natural in Bordeaux, the land of Château Pétrus).',
    ),
    (
        6,
        'bordeaux',
        'Un écosystème entre recherche et entreprise',
        'An ecosystem linking research and business',
        'Favoriser l’émergence d’un écosystème entre le monde de la recherche et de l’entreprise.',
        'Foster the emergence of an ecosystem between the worlds of research and business.',
    ),
    (
        7,
        'nantes',
        'Les entreprises dans les espaces publics numériques',
        'Businesses in public digital spaces',
        'Renforcer l’accueil des acteurs privés dans les espaces publics numériques en contrepartie d’une sensibilisation des agents publics territoriaux. Il s’agit d’un engagement citoyen des entrepreneurs qui serait gagnant-gagnant et à faible coût.',
        'Welcome private players more in public digital spaces, in return for raising the awareness of local public servants. This would be a civic commitment of entrepreneurs, a win-win at low cost.',
    ),
    (
        8,
        'nantes',
        'Des incubateurs dans toutes les universités',
        'Incubators in every university',
        'S’inspirer des incubateurs existants pour les étendre à toutes les structures universitaires avec un système de parrainage. Sensibiliser les professeurs au sein des structures étudiantes.',
        "Draw on existing incubators to extend them to every university structure, with a sponsorship scheme. Raise teachers' awareness within student structures.",
    ),
    (
        9,
        'nantes',
        'Aider les décideurs publics à évaluer les financements',
        'Helping public decision-makers assess funding applications',
        'Accompagner les décideurs publics dans l’évaluation des dossiers de financement.',
        'Support public decision-makers in assessing funding applications.',
    ),
    (
        10,
        'paris-groupe-1',
        'Une émission hebdomadaire sur le numérique',
        'A weekly programme about digital',
        'Réaliser une émission de télévision déclinée sur le web à fréquence hebdomadaire sur les chaînes du service public (le but est d’augmenter la compréhension des effets positifs du numérique, de donner de la visibilité aux réussites, de susciter des vocations).',
        'Produce a weekly television programme, also on the web, on public-service channels (the aim is to improve understanding of the positive effects of digital technology, give visibility to successes and inspire vocations).',
    ),
    (
        11,
        'paris-groupe-1',
        'L’achat public, accélérateur des TPE/PME innovantes',
        'Public procurement to boost innovative small businesses',
        'Avoir l’achat public comme accélérateur du développement des TPE/PME innovantes. (avec le cap en terme d’un seuil de chiffres d’affaires à passer).',
        'Use public procurement to accelerate the development of innovative very small businesses and SMEs (with a target in terms of a turnover threshold to reach).',
    ),
    (
        12,
        'paris-groupe-1',
        'Équiper et former les bénéficiaires du RSA',
        'Equipping and training RSA recipients',
        'Equiper et former les bénéficiaires du RSA et faire mieux connaître les métiers du numérique aux missions locales et à Pôle Emploi.',
        'Equip and train recipients of the RSA (minimum income) and make digital careers better known to local youth missions (missions locales) and Pôle Emploi.',
    ),
    (
        13,
        'paris-groupe-2',
        'Une discipline informatique et sciences du numérique',
        'A computing and digital science subject',
        'Créer une discipline informatique et sciences du numérique. Un premier pas a été franchi avec l’option informatique et sciences du numérique en classe de Terminale scientifique mais celui-ci est timide et devrait être généralisé dans un premier temps à toutes les classes de terminales avant de l’étendre bien avant dans la scolarité comme c’est le cas de l’apprentissage de l’anglais par exemple.',
        'Create a computing and digital science subject. A first step was taken with the computing and digital science option in the final year of the scientific baccalaureate, but it is timid and should first be extended to every final-year class, before being brought in much earlier in schooling, as is the case for learning English, for example.',
    ),
    (
        14,
        'paris-groupe-2',
        'Des passerelles vers les métiers du numérique',
        'Bridges towards digital careers',
        'Créer des passerelles de sensibilisation aux métiers du numérique pour les élèves et les professeurs (le problème est que ces formations n’attirent plus ; on constate par ailleurs un manque de féminisation dans ces formations). Le projet 1 h/1 école où un professionnel du numérique va expliquer les métiers du numérique est évoqué.',
        "Create bridges raising pupils' and teachers' awareness of digital careers (the problem is that this training no longer attracts; there is also a lack of women in it). The “1 h/1 école” project, in which a digital professional explains digital careers, is mentioned.",
    ),
    (
        15,
        'paris-groupe-2',
        'Un diplôme d’Internet',
        'An Internet diploma',
        'Créer un diplôme d’Internet (dans les filières courtes) avec comme échéances : 2013, adaptation des diplômes existants, 2014, DUI et licences professionnelles, 2015, BTS et DUT.',
        "Create an Internet diploma (in short courses) with these deadlines: 2013, adapting existing diplomas; 2014, DUI and professional bachelor's degrees; 2015, BTS and DUT.",
    ),
    (
        16,
        'paris-groupe-3',
        'Un kit numérique pour les créateurs d’entreprise',
        'A digital kit for business founders',
        'Proposer un kit numérique créateur d’entreprise (6 mois après la création de l’entreprise, lui proposer une formation au numérique qu’il ait ou non créé un site web et organiser sa présence numérique).',
        'Offer a digital kit to business founders (six months after the company is created, offer the founder digital training, whether or not he or she has created a website, and organise his or her digital presence).',
    ),
    (
        17,
        'paris-groupe-3',
        'Adapter le statut du télétravail',
        'Adapting the status of teleworking',
        'Adapter le statut du télétravail (revoir, simplifier).',
        'Adapt the status of teleworking (review it, simplify it).',
    ),
    (
        18,
        'paris-groupe-3',
        'Des correspondants numériques locaux pour les TPE/PME',
        'Local digital correspondents for small businesses',
        'Nommer des correspondants numériques locaux pour les TPE/PME (rencontrer des correspondants pour inciter à passer au numérique). A l’image des CIL… Plusieurs intermédiaires sont évoqués : passer par du public, des CCI, le Social Nextwork…',
        'Appoint local digital correspondents for very small businesses and SMEs (meeting correspondents to encourage them to go digital), on the model of the CILs (data-protection correspondents)… Several intermediaries are mentioned: going through the public sector, the CCIs (chambers of commerce), the Social Nextwork…',
    ),
    (
        19,
        'paris-groupe-3',
        'Développer le m-gouvernement',
        'Developing mobile government',
        'Développer le M gouvernement (possibilité d’avoir accès à des services publics en mobilité car le premier accès à Internet sera à brève échéance par mobile). Développer l’accès au service public sur mobile au-delà du site Proxima Mobile.',
        'Develop m-government (access to public services on the move, since the first access to the Internet will soon be mobile). Develop access to public services on mobile beyond the Proxima Mobile site.',
    ),
]

# Related content: (measure number, kind, key) — created only when it resolves.
REFERENCES: list[tuple[int, str, str]] = [
    (2, "mooc.course", "universite-du-numerique"),
    # measure #3 asks for a barometer of companies' digitisation: the diagnostic publishes one
    (3, "diagnostic.barometer", "public"),
    (16, "mooc.course", "universite-du-numerique"),
]

DEMO_PREFIX_FR = "[Démo] "
DEMO_PREFIX_EN = "[Demo] "
# Demo only: invented progress to show the timeline; clearly labelled, never reference data.
DEMO_UPDATES: list[tuple[int, str, int, str, str, str, str]] = [
    (
        3,
        MeasureStatus.UNDER_STUDY,
        10,
        "Étude de faisabilité lancée",
        "Feasibility study started",
        "Contenu de démonstration : une étude de faisabilité du baromètre est lancée.",
        "Demonstration content: a feasibility study of the barometer has started.",
    ),
    (
        16,
        MeasureStatus.IN_PROGRESS,
        40,
        "Premier module du kit en ligne",
        "First module of the kit online",
        "Contenu de démonstration : un premier module de formation pour les créateurs d’entreprise est en ligne.",
        "Demonstration content: a first training module for business founders is online.",
    ),
]


def origin_for(number: int) -> str:
    return next(code for code, *_rest, numbers in ORIGINS if number in numbers)


def seed_reference(log: Log) -> None:
    n = create_missing(
        Origin,
        "code",
        (
            {"code": code, "name_fr": fr, "name_en": en, "theme_fr": tfr, "theme_en": ten, "position": i}
            for i, (code, fr, en, tfr, ten, _numbers) in enumerate(ORIGINS)
        ),
    )
    log(f"measure origins: {n} created, {len(ORIGINS)} expected")
    origins = {o.code: o for o in Origin.objects.all()}
    n = create_missing(
        Measure,
        "number",
        (
            {
                "number": number,
                "origin": origins[code],
                "short_title_fr": sfr,
                "short_title_en": sen,
                "full_text_fr": ffr,
                "full_text_en": fen,
                "status": MeasureStatus.PROPOSED,
                "progress": 0,
            }
            for number, code, sfr, sen, ffr, fen in MEASURES
        ),
    )
    log(f"measures: {n} created, {len(MEASURES)} expected")
    created = skipped = 0
    for number, kind, key in REFERENCES:
        if resolve(kind, key) is None:
            skipped += 1
            continue
        measure = Measure.objects.filter(number=number).first()
        if measure is None:
            continue
        _link, was_created = RelatedLink.objects.get_or_create(measure=measure, kind=kind, key=key)
        created += int(was_created)
    log(f"measure related links: {created} created, {skipped} skipped (not published yet)")


def seed_demo(log: Log) -> None:
    from measures.services import measure_update_publish

    created = 0
    for number, status, progress, tfr, ten, text_fr, text_en in DEMO_UPDATES:
        measure = Measure.objects.filter(number=number).first()
        if measure is None or measure.updates.exists():  # never over staff's own timeline
            continue
        measure_update_publish(
            update=MeasureUpdate(
                measure=measure,
                published_on=timezone.localdate(),
                title_fr=DEMO_PREFIX_FR + tfr,
                title_en=DEMO_PREFIX_EN + ten,
                text_fr=text_fr,
                text_en=text_en,
                status_after=status,
                progress_after=progress,
            ),
            by=None,
        )
        created += 1
    log(f"measures demo updates: {created} created")
