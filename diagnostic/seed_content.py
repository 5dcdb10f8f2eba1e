"""The reference questionnaire, written for this portal.

Its structure follows the EU Digital Maturity Assessment for SMEs (JRC, used by the European
Digital Innovation Hubs): the same six dimensions, "select all that apply" checklists, and
technologies rated from 0 (not used) to 5 (operational); scores 0–100 per dimension and an
overall mean; a first band "0–25 %" as in the DMA's interpretation guide. The questions and
options themselves are this portal's own wording, for French SME leaders (about 12 minutes).
"""

from __future__ import annotations

AGREEMENT_FR = ["0 — Pas du tout", "1", "2", "3", "4", "5 — Tout à fait"]
AGREEMENT_EN = ["0 — Not at all", "1", "2", "3", "4", "5 — Completely"]
ADOPTION_FR = ["0 — Pas utilisé", "1 — Envisagé", "2 — Prototype", "3 — En test", "4 — En déploiement", "5 — Opérationnel"]
ADOPTION_EN = ["0 — Not used", "1 — Considering", "2 — Prototyping", "3 — Testing", "4 — Implementing", "5 — Operational"]
ADOPTION_HINT_FR = "De 0 (pas utilisé) à 5 (opérationnel dans l’entreprise)."
ADOPTION_HINT_EN = "From 0 (not used) to 5 (operational in the company)."

QUESTIONNAIRE = {
    "slug": "maturite-numerique",
    "title_fr": "Diagnostic de maturité numérique",
    "title_en": "Digital-maturity diagnostic",
    "summary_fr": "Six dimensions, une vingtaine de questions, une dizaine de minutes : où en est votre entreprise, et par quoi commencer.",
    "summary_en": "Six dimensions, about twenty questions, some ten minutes: where your company stands, and where to start.",
}


def scale(kind: str) -> list[tuple[str, str, str, int, bool]]:
    fr, en = (AGREEMENT_FR, AGREEMENT_EN) if kind == "agreement" else (ADOPTION_FR, ADOPTION_EN)
    return [(f"level-{i}", fr[i], en[i], i, False) for i in range(6)]


def none_of_these(fr: str = "Aucun de ces points", en: str = "None of these") -> tuple[str, str, str, int, bool]:
    return ("none", fr, en, 0, True)


# Each dimension: code, title fr/en, description fr/en, questions.
# Each question: (code, kind, text fr, text en, hint fr, hint en, options)
# Each option: (code, label fr, label en, points, exclusive)
DIMENSIONS = [
    {
        "code": "strategy",
        "title_fr": "Stratégie numérique",
        "title_en": "Digital business strategy",
        "description_fr": "La place du numérique dans les projets, les investissements et les décisions de la direction.",
        "description_en": "Where digital stands in the company's plans, investments and management decisions.",
        "questions": [
            ("roadmap", "single", "Votre entreprise a-t-elle une feuille de route numérique ?",
             "Does your company have a digital roadmap?", "", "", [
                 ("no", "Non", "No", 0, False),
                 ("ideas", "Des idées, rien d’écrit", "Ideas, nothing written down", 1, False),
                 ("partial", "Un plan écrit pour certains services", "A written plan for some departments", 2, False),
                 ("full", "Un plan écrit, budgété et suivi par la direction", "A written plan, budgeted and followed by management", 3, False),
             ]),
            ("investments", "multi", "Dans quels domaines avez-vous investi dans le numérique ces deux dernières années ?",
             "In which areas has your company invested in digital over the last two years?",
             "Cochez tout ce qui s’applique.", "Tick all that apply.", [
                 ("equipment", "Équipements et connexion", "Equipment and connectivity", 1, False),
                 ("management-software", "Logiciels de gestion (comptabilité, ERP, CRM)", "Management software (accounting, ERP, CRM)", 1, False),
                 ("online", "Site web ou vente en ligne", "Website or online sales", 1, False),
                 ("security", "Cybersécurité", "Cybersecurity", 1, False),
                 ("training", "Formation des équipes", "Staff training", 1, False),
                 ("automation", "Automatisation ou intelligence artificielle", "Automation or artificial intelligence", 1, False),
                 none_of_these("Aucun de ces domaines", "None of these areas"),
             ]),
            ("budget", "single", "Quelle part de votre chiffre d’affaires consacrez-vous au numérique ?",
             "What share of your turnover goes to digital?",
             "Équipements, logiciels, services et formation compris.", "Equipment, software, services and training included.", [
                 ("dont-know", "Je ne sais pas", "I don't know", 0, False),
                 ("under-1", "Moins de 1 %", "Less than 1%", 0, False),
                 ("1-3", "De 1 à 3 %", "1 to 3%", 1, False),
                 ("3-5", "De 3 à 5 %", "3 to 5%", 2, False),
                 ("over-5", "Plus de 5 %", "More than 5%", 3, False),
             ]),
            ("leadership", "scale", "La direction se sent-elle prête à mener la transformation numérique de l’entreprise ?",
             "Does management feel ready to lead the company's digital transformation?", "", "", scale("agreement")),
        ],
    },
    {
        "code": "readiness",
        "title_fr": "Équipement et présence en ligne",
        "title_en": "Digital readiness",
        "description_fr": "Les outils du quotidien, la connexion, la présence en ligne et la vente en ligne.",
        "description_en": "Everyday tools, connectivity, online presence and e-commerce.",
        "questions": [
            ("tools", "multi", "Quels outils numériques votre entreprise utilise-t-elle au quotidien ?",
             "Which digital tools does your company use every day?", "Cochez tout ce qui s’applique.", "Tick all that apply.", [
                 ("shared-calendar", "Messagerie et agendas partagés", "Shared e-mail and calendars", 1, False),
                 ("cloud-storage", "Stockage et partage de fichiers en ligne", "Online file storage and sharing", 1, False),
                 ("erp", "Logiciel de gestion intégré (ERP)", "Enterprise resource planning (ERP)", 1, False),
                 ("crm", "Gestion de la relation client (CRM)", "Customer relationship management (CRM)", 1, False),
                 ("e-invoicing", "Facturation électronique", "Electronic invoicing", 1, False),
                 ("remote-work", "Outils de travail à distance", "Remote-work tools", 1, False),
                 none_of_these("Aucun de ces outils", "None of these tools"),
             ]),
            ("presence", "single", "Quelle est la présence en ligne de votre entreprise ?",
             "What is your company's online presence?", "", "", [
                 ("none", "Aucune", "None", 0, False),
                 ("listing", "Une fiche sur un annuaire ou un réseau social", "A listing in a directory or on a social network", 1, False),
                 ("showcase", "Un site vitrine", "A showcase website", 2, False),
                 ("active", "Un site à jour, bien référencé, avec prise de contact en ligne", "An up-to-date, well-referenced website with online contact", 3, False),
             ]),
            ("online-sales", "single", "Vendez-vous en ligne ?", "Do you sell online?", "", "", [
                 ("no", "Non", "No", 0, False),
                 ("marketplace", "Par une place de marché", "Through a marketplace", 1, False),
                 ("own-shop", "Par notre propre boutique en ligne", "Through our own online shop", 2, False),
                 ("integrated", "En ligne, avec commande et paiement reliés à notre gestion", "Online, with orders and payment linked to our management", 3, False),
             ]),
            ("connectivity", "single", "Votre connexion à Internet suffit-elle à votre activité ?",
             "Is your Internet connection enough for your business?", "", "", [
                 ("no", "Non, elle freine l’activité", "No, it holds the business back", 0, False),
                 ("barely", "Tout juste", "Barely", 1, False),
                 ("yes", "Oui", "Yes", 2, False),
                 ("backup", "Oui, avec une solution de secours", "Yes, with a backup link", 3, False),
             ]),
        ],
    },
    {
        "code": "human",
        "title_fr": "Compétences et équipes",
        "title_en": "Human-centric digitalisation",
        "description_fr": "Les compétences numériques des équipes, leur formation et leur place dans les projets.",
        "description_en": "Staff digital skills, their training and their part in digital projects.",
        "questions": [
            ("comfort", "scale", "Vos salariés sont-ils à l’aise avec les outils numériques de leur poste ?",
             "Are your employees comfortable with the digital tools of their job?", "", "", scale("agreement")),
            ("training", "single", "Combien de salariés ont suivi une formation au numérique ces douze derniers mois ?",
             "How many employees took digital training in the last twelve months?", "", "", [
                 ("none", "Aucun", "None", 0, False),
                 ("few", "Quelques-uns", "A few", 1, False),
                 ("half", "Environ la moitié", "About half", 2, False),
                 ("most", "La plupart", "Most of them", 3, False),
             ]),
            ("involvement", "multi", "Comment associez-vous les équipes aux projets numériques ?",
             "How do you involve staff in digital projects?", "Cochez tout ce qui s’applique.", "Tick all that apply.", [
                 ("consulted", "On les consulte avant de choisir un outil", "They are consulted before a tool is chosen", 1, False),
                 ("champions", "Des référents numériques en interne", "In-house digital champions", 1, False),
                 ("training-plan", "Une formation accompagne chaque nouveau projet", "Training comes with each new project", 1, False),
                 ("feedback", "On mesure la satisfaction des utilisateurs", "User satisfaction is measured", 1, False),
                 none_of_these(),
             ]),
            ("skills-sourcing", "single", "Comment trouvez-vous les compétences numériques dont vous avez besoin ?",
             "How do you find the digital skills you need?", "", "", [
                 ("none", "Nous n’en cherchons pas", "We do not look for them", 0, False),
                 ("providers", "Auprès de prestataires", "From service providers", 1, False),
                 ("in-house-training", "Nous formons nos salariés", "We train our employees", 2, False),
                 ("dedicated", "Nous avons des profils dédiés", "We have dedicated staff", 3, False),
             ]),
        ],
    },
    {
        "code": "data",
        "title_fr": "Données et cybersécurité",
        "title_en": "Data management and security",
        "description_fr": "L’usage des données de l’activité, leur circulation entre les outils et leur protection.",
        "description_en": "How business data is used, flows between tools and is protected.",
        "questions": [
            ("data-use", "single", "Comment utilisez-vous les données de votre activité (ventes, clients, production) ?",
             "How do you use your business data (sales, customers, production)?", "", "", [
                 ("unused", "Nous ne les exploitons pas", "We do not use them", 0, False),
                 ("occasional", "Des tableaux ponctuels", "Occasional spreadsheets", 1, False),
                 ("dashboards", "Des tableaux de bord réguliers", "Regular dashboards", 2, False),
                 ("data-driven", "Des décisions fondées sur des données partagées entre services", "Decisions based on data shared across departments", 3, False),
             ]),
            ("security", "multi", "Quelles mesures de sécurité avez-vous mises en place ?",
             "Which security measures are in place?", "Cochez tout ce qui s’applique.", "Tick all that apply.", [
                 ("policy", "Une politique de sécurité écrite", "A written security policy", 1, False),
                 ("protection", "Antivirus, pare-feu et mises à jour régulières", "Antivirus, firewall and regular updates", 1, False),
                 ("awareness", "La sensibilisation des salariés", "Staff awareness training", 1, False),
                 ("monitoring", "La surveillance des menaces", "Threat monitoring", 1, False),
                 ("backup", "Des sauvegardes hors site", "Off-site backups", 1, False),
                 ("continuity", "Un plan de continuité d’activité", "A business continuity plan", 1, False),
                 none_of_these("Aucune de ces mesures", "None of these measures"),
             ]),
            ("gdpr", "single", "Où en êtes-vous avec le RGPD ?", "Where do you stand with the GDPR?", "", "", [
                 ("not-started", "Pas commencé", "Not started", 0, False),
                 ("register", "Registre des traitements en cours", "Processing register under way", 1, False),
                 ("up-to-date", "Registre à jour et personnes informées", "Register up to date and people informed", 2, False),
                 ("managed", "Démarche suivie, avec un responsable désigné", "An ongoing process with a designated person", 3, False),
             ]),
            ("integration", "single", "Vos logiciels échangent-ils leurs données ?", "Do your software tools share their data?", "", "", [
                 ("manual", "Non, tout est ressaisi", "No, everything is typed in again", 0, False),
                 ("exports", "Par des exports et imports ponctuels", "Through occasional exports and imports", 1, False),
                 ("some", "Certains sont connectés", "Some are connected", 2, False),
                 ("integrated", "Ils forment un système intégré", "They form an integrated system", 3, False),
             ]),
        ],
    },
    {
        "code": "automation",
        "title_fr": "Automatisation et intelligence artificielle",
        "title_en": "Automation and artificial intelligence",
        "description_fr": "Les technologies qui automatisent des tâches ou aident à décider, de l’idée à l’usage.",
        "description_en": "Technologies that automate tasks or help decide, from the idea to everyday use.",
        "questions": [
            ("language-ai", "scale", "Traitement du langage : assistants conversationnels, rédaction, traduction",
             "Language processing: chatbots, drafting, translation", ADOPTION_HINT_FR, ADOPTION_HINT_EN, scale("adoption")),
            ("computer-vision", "scale", "Vision par ordinateur : contrôle qualité, lecture de documents",
             "Computer vision: quality control, document reading", ADOPTION_HINT_FR, ADOPTION_HINT_EN, scale("adoption")),
            ("process-automation", "scale", "Robotique et automatisation des tâches répétitives",
             "Robotics and automation of repetitive tasks", ADOPTION_HINT_FR, ADOPTION_HINT_EN, scale("adoption")),
            ("analytics", "scale", "Analyse de données et aide à la décision : prévisions, informatique décisionnelle",
             "Data analytics and decision support: forecasting, business intelligence", ADOPTION_HINT_FR, ADOPTION_HINT_EN, scale("adoption")),
            ("connected-objects", "single", "Votre entreprise travaille-t-elle avec des objets connectés ?",
             "Does your company work with connected objects?", "", "", [
                 ("no", "Non", "No", 0, False),
                 ("uses", "Nous en utilisons (capteurs, suivi de matériel)", "We use some (sensors, equipment tracking)", 1, False),
                 ("develops", "Nous en concevons ou en intégrons dans nos produits", "We design them or build them into our products", 2, False),
             ]),
        ],
    },
    {
        "code": "green",
        "title_fr": "Numérique responsable",
        "title_en": "Green digitalisation",
        "description_fr": "La sobriété du numérique de l’entreprise et son usage pour réduire l’impact environnemental.",
        "description_en": "Frugal digital practices, and digital tools used to reduce the environmental impact.",
        "questions": [
            ("practices", "multi", "Quelles pratiques de numérique responsable appliquez-vous ?",
             "Which responsible digital practices do you apply?", "Cochez tout ce qui s’applique.", "Tick all that apply.", [
                 ("lifespan", "Allonger la durée de vie des équipements", "Extending equipment lifespan", 1, False),
                 ("refurbished", "Acheter du matériel reconditionné", "Buying refurbished equipment", 1, False),
                 ("recycling", "Recycler par une filière agréée", "Recycling through an approved channel", 1, False),
                 ("energy", "Mesurer la consommation d’énergie du numérique", "Measuring the energy used by digital tools", 1, False),
                 ("procurement", "Des critères environnementaux dans les achats numériques", "Environmental criteria in digital purchasing", 1, False),
                 ("frugal-use", "Des usages sobres (stockage, vidéo)", "Frugal use (storage, video)", 1, False),
                 none_of_these("Aucune de ces pratiques", "None of these practices"),
             ]),
            ("impact", "single", "Utilisez-vous le numérique pour réduire votre impact environnemental (énergie, transports, matières) ?",
             "Do you use digital tools to reduce your environmental impact (energy, transport, materials)?", "", "", [
                 ("no", "Non", "No", 0, False),
                 ("occasional", "Ponctuellement", "Occasionally", 1, False),
                 ("monitored", "Avec un suivi régulier", "With regular monitoring", 2, False),
                 ("core", "Au cœur de notre stratégie environnementale", "At the heart of our environmental strategy", 3, False),
             ]),
            ("weight", "scale", "L’impact environnemental pèse-t-il dans vos choix numériques ?",
             "Does environmental impact weigh in your digital choices?", "", "", scale("agreement")),
        ],
    },
]

# The DMA's interpretation guide shows "Basic 0–25 %"; the other thresholds are this portal's.
BANDS = [
    ("beginner", 0,
     "Le numérique reste à construire : quelques gestes simples et une formation donnent vite des résultats.",
     "Digital is yet to be built: a few simple steps and some training quickly pay off."),
    ("progressing", 26,
     "Les bases sont là : il s’agit maintenant de relier les outils et d’en faire un projet d’entreprise.",
     "The basics are there: now connect the tools and make it a company project."),
    ("advanced", 51,
     "L’entreprise tire parti du numérique : consolidez, mesurez et partagez ce qui marche.",
     "The company makes good use of digital: consolidate, measure and share what works."),
    ("leader", 76,
     "L’entreprise est en avance : elle peut inspirer d’autres dirigeants et tester de nouvelles technologies.",
     "The company is ahead: it can inspire other leaders and try new technologies."),
]

# Recommendation rules: (dimension, band, kind, key, title fr, title en, text fr, text en, when_answer)
# MOOC modules are named by their position in the course "universite-du-numerique" and
# resolved to their id when seeding; expedition tags are the expeditions' own vocabulary.
MOOC_COURSE = "universite-du-numerique"
ADVICE = {
    ("strategy", "beginner"): (
        "Commencez par lister les irritants du quotidien et choisissez-en deux à résoudre cette année : c’est votre première feuille de route.",
        "Start by listing everyday irritants and pick two to solve this year: that is your first roadmap."),
    ("strategy", "progressing"): (
        "Écrivez votre feuille de route sur deux ans, avec un budget et une personne qui la suit en comité de direction.",
        "Write a two-year roadmap with a budget and someone who follows it in management meetings."),
    ("readiness", "beginner"): (
        "Une fiche d’établissement à jour et des outils partagés (agenda, fichiers) sont les premiers gains, rapides et peu coûteux.",
        "An up-to-date business listing and shared tools (calendar, files) are the first quick, cheap wins."),
    ("readiness", "progressing"): (
        "Reliez la vente en ligne et la gestion : une commande en ligne ne devrait jamais être ressaisie.",
        "Connect online sales and management: an online order should never be typed in again."),
    ("human", "beginner"): (
        "Un plan de formation simple, quelques heures par salarié, change le rapport des équipes aux outils.",
        "A simple training plan, a few hours per employee, changes how staff relate to their tools."),
    ("human", "progressing"): (
        "Nommez des référents numériques et associez les équipes au choix des outils : l’adoption suivra.",
        "Appoint digital champions and involve staff in choosing tools: adoption will follow."),
    ("data", "beginner"): (
        "Sauvegardes hors site, mises à jour et sensibilisation des salariés : trois mesures qui évitent la plupart des incidents.",
        "Off-site backups, updates and staff awareness: three measures that prevent most incidents."),
    ("data", "progressing"): (
        "Un tableau de bord mensuel sur quelques indicateurs clés et un plan de continuité d’activité sont les prochaines étapes.",
        "A monthly dashboard of a few key indicators and a business continuity plan are the next steps."),
    ("automation", "beginner"): (
        "Repérez une tâche répétitive (devis, relances, saisie) et testez un outil d’automatisation sur celle-là seulement.",
        "Find one repetitive task (quotes, reminders, data entry) and try an automation tool on that one only."),
    ("automation", "progressing"): (
        "Passez d’un test à un usage mesuré : temps gagné, erreurs évitées, et formez les équipes concernées.",
        "Move from a test to measured use: time saved, errors avoided, and train the staff concerned."),
    ("green", "beginner"): (
        "Allonger la durée de vie des équipements est le geste le plus efficace : le matériel pèse plus que les usages.",
        "Keeping equipment longer is the most effective step: hardware weighs more than usage."),
    ("green", "progressing"): (
        "Ajoutez des critères environnementaux à vos achats numériques et mesurez la consommation de vos équipements.",
        "Add environmental criteria to digital purchases and measure what your equipment consumes."),
}

# (dimension, band or "", kind, key, text fr, text en)
CONTENT_RULES = [
    ("strategy", "", "mooc.module", "1",
     "Le premier module de l’Université du numérique aide à bâtir sa feuille de route.",
     "The first module of the Université du numérique helps build a roadmap."),
    ("strategy", "", "mooc.module", "3",
     "Innover dans une PME : des méthodes pour faire du numérique un levier de croissance.",
     "Innovating in a small company: methods to make digital a lever for growth."),
    ("strategy", "beginner", "measures.measure", "18",
     "La mesure n° 18 propose des correspondants numériques locaux pour les TPE/PME.",
     "Measure #18 proposes local digital correspondents for small companies."),
    ("readiness", "", "mooc.module", "4",
     "La relation client à l’ère numérique : présence en ligne et vente à distance.",
     "Customer relations in the digital age: online presence and distance selling."),
    ("readiness", "", "mooc.module", "2",
     "Exporter grâce au numérique : vendre en ligne au-delà des frontières.",
     "Exporting with digital tools: selling online across borders."),
    ("readiness", "", "expeditions.tag", "e-commerce",
     "Voir sur place comment d’autres pays vendent en ligne.",
     "See first-hand how other countries sell online."),
    ("human", "", "mooc.module", "1",
     "Se former au numérique : le premier module de l’Université du numérique.",
     "Digital skills: the first module of the Université du numérique."),
    ("human", "", "measures.measure", "2",
     "La mesure n° 2 veut mettre le numérique en priorité dans la formation en entreprise.",
     "Measure #2 wants digital first in workplace training."),
    ("data", "", "expeditions.tag", "cybersecurite",
     "Les écosystèmes les plus avancés en cybersécurité se visitent.",
     "The most advanced cybersecurity ecosystems can be visited."),
    ("data", "", "mooc.module", "4",
     "Les données clients au service de la relation client.",
     "Customer data in the service of customer relations."),
    ("automation", "", "mooc.module", "3",
     "Innover dans une PME : tester une technologie sans tout risquer.",
     "Innovating in a small company: trying a technology without risking everything."),
    ("automation", "", "expeditions.tag", "intelligence-artificielle",
     "Découvrir l’intelligence artificielle et la robotique là où elles sont déployées.",
     "Discover artificial intelligence and robotics where they are deployed."),
    ("green", "", "expeditions.tag", "numerique-responsable",
     "Rencontrer des entreprises qui ont réduit l’empreinte de leur numérique.",
     "Meet companies that have reduced their digital footprint."),
]

# For every dimension: the contest, when the company works on connected objects.
GLOBAL_RULES = [
    ("", "", "contests.current", "",
     "Vous concevez des objets connectés : le concours national objets connectés est fait pour vous.",
     "You design connected objects: the national connected-object contest is made for you.",
     "connected-objects=develops"),
]
