"""Reference content of the "Université du numérique" course (seed 000).

Seed 000: "Le 16 mars était inaugurée l'Université numérique avec le lancement d'un MOOC
[...] sur le thème de la transformation numérique, en partenariat avec le CNAM [...]
accompagner les dirigeants de TPE/PME « dans le développement de leur compétitivité »
(formation au numérique, export, innovation, relation client…)."

The four modules follow those four topics. Lessons are written for busy SME leaders; they
state practices, not figures we could not source (no tax rates, no market statistics).
Each quiz mixes the four question kinds. Numbers in numeric answers are plain arithmetic.
"""

COURSE = {
    "slug": "universite-du-numerique",
    "title_fr": "Université du numérique : la transformation numérique des TPE-PME",
    "title_en": "Université du numérique: the digital transformation of small and medium-sized companies",
    "summary_fr": (
        "Inaugurée le 16 mars avec le CNAM (Conservatoire national des arts et métiers), l'Université du numérique "
        "du Medef propose ce MOOC pour accompagner les dirigeants de TPE/PME « dans le développement de leur "
        "compétitivité » : formation au numérique, export, innovation, relation client. Quatre modules courts, "
        "des exemples concrets et un quiz par module ; un certificat vérifiable est délivré à partir de 60 %."
    ),
    "summary_en": (
        "Opened on 16 March with the CNAM (Conservatoire national des arts et métiers), the Medef's Université du "
        "numérique offers this MOOC to help the leaders of very small and medium-sized companies \"develop their "
        "competitiveness\": digital training, export, innovation, customer relations. Four short modules, concrete "
        "examples and one quiz per module; a verifiable certificate is awarded from 60 %."
    ),
    "teachers": "Équipe pédagogique CNAM – Medef",
    "effort_hours": 4,
    "topic": "digital-transformation",
    "language": "fr",
    "pass_mark": 60,
}

RUN = {"label_fr": "En autonomie", "label_en": "Self-paced"}

# Each module: (title_fr, title_en, summary_fr, summary_en, lessons, quiz)
# Each lesson: (title_fr, title_en, body_fr, body_en, minutes)
# Quiz questions: dict(kind, text_fr, text_en, feedback_fr, feedback_en, choices=[(fr, en, correct)],
#                      correct_bool=..., numeric_answer=..., tolerance=...)
MODULES = [
    {
        "title_fr": "Se former au numérique et transformer son entreprise",
        "title_en": "Digital skills and transforming your company",
        "summary_fr": "Pourquoi la transformation numérique est d'abord un projet d'entreprise, et comment y préparer ses équipes.",
        "summary_en": "Why digital transformation is first a business project, and how to prepare your teams for it.",
        "lessons": [
            (
                "La transformation numérique, un projet d'entreprise",
                "Digital transformation is a business project",
                """La transformation numérique n'est pas l'achat d'un logiciel : c'est la façon dont votre entreprise **produit, vend et s'organise** avec les outils d'aujourd'hui. Pour une TPE ou une PME, l'enjeu est la compétitivité : gagner du temps sur les tâches répétitives, mieux connaître ses clients, atteindre de nouveaux marchés.

## Partir des problèmes, pas des outils

1. **Listez les irritants** du quotidien : ressaisies entre devis et factures, relances clients oubliées, stocks mal connus, agendas éparpillés.
2. **Chiffrez-les** : combien d'heures par semaine, combien d'erreurs, combien de ventes perdues ?
3. **Choisissez un premier chantier** visible et court (trois mois au plus), par exemple la facturation électronique ou un agenda partagé.
4. **Mesurez** le résultat avant d'élargir.

## Le dirigeant donne le cap

Les projets numériques réussissent quand le dirigeant explique *pourquoi* on change, désigne un référent interne et associe les salariés qui utiliseront l'outil. Un projet imposé sans explication produit des contournements : le tableur personnel continue de vivre à côté du nouvel outil.

## À retenir

- Un objectif métier mesurable avant tout choix d'outil.
- De petits pas, mesurés, plutôt qu'un grand projet.
- Les équipes associées dès le début.""",
                """Digital transformation is not buying software: it is the way your company **produces, sells and organises itself** with today's tools. For a small business the stake is competitiveness: saving time on repetitive tasks, knowing your customers better, reaching new markets.

## Start from problems, not tools

1. **List the daily irritants**: re-typing between quotes and invoices, forgotten customer reminders, unclear stock levels, scattered calendars.
2. **Put numbers on them**: how many hours a week, how many errors, how many lost sales?
3. **Choose a first project** that is visible and short (three months at most), such as electronic invoicing or a shared calendar.
4. **Measure** the result before going further.

## The leader sets the course

Digital projects succeed when the leader explains *why* things change, appoints an internal lead and involves the employees who will use the tool. A project imposed without explanation breeds workarounds: the personal spreadsheet lives on beside the new tool.

## Key points

- A measurable business goal before any choice of tool.
- Small, measured steps rather than one big project.
- Teams involved from the start.""",
                8,
            ),
            (
                "Former ses équipes… et se former soi-même",
                "Training your teams… and yourself",
                """Un outil n'apporte rien si personne ne sait s'en servir. La formation au numérique est un investissement de compétitivité, au même titre qu'une machine.

## Faire le point sur les compétences

Demandez à chacun, en dix minutes, ce qu'il sait faire et ce qui le bloque : messagerie et agenda partagés, tableur, outils de vente en ligne, sécurité. Vous obtenez une carte simple des besoins, par personne.

## Choisir des formats adaptés à une PME

- **Courts et réguliers** : une heure par semaine vaut mieux qu'une journée par an.
- **En situation** : former sur les vrais fichiers de l'entreprise.
- **Entre pairs** : un salarié à l'aise devient référent et aide ses collègues.
- **En ligne** : un MOOC comme celui-ci se suit à son rythme, entre deux rendez-vous.

## Le socle de sécurité, pour tous

La formation commence par les bons réflexes, car une PME est une cible comme une autre :

- des mots de passe longs et différents, rangés dans un gestionnaire de mots de passe ;
- la double authentification sur la messagerie et les comptes bancaires ;
- des sauvegardes régulières, dont une copie hors ligne, et un essai de restauration ;
- la méfiance envers les messages urgents demandant un virement ou des identifiants.

## Et le dirigeant ?

Le dirigeant n'a pas à devenir informaticien, mais il doit comprendre assez pour décider : ce que coûte un outil, ce qu'il fait gagner, où sont les données de l'entreprise et qui y a accès.""",
                """A tool brings nothing if nobody knows how to use it. Digital training is a competitiveness investment, just like a machine.

## Take stock of skills

Ask everyone, in ten minutes, what they can do and what holds them back: shared e-mail and calendar, spreadsheets, online sales tools, security. You get a simple map of needs, person by person.

## Formats that suit a small company

- **Short and regular**: one hour a week beats one day a year.
- **On the job**: train on the company's real files.
- **Peer to peer**: an employee at ease becomes the lead and helps colleagues.
- **Online**: a MOOC like this one is followed at your own pace, between two meetings.

## The security basics, for everyone

Training starts with the right reflexes, because a small company is a target like any other:

- long, different passwords, kept in a password manager;
- two-factor authentication on e-mail and bank accounts;
- regular backups, including an offline copy, and a restore test;
- suspicion of urgent messages asking for a transfer or credentials.

## And the leader?

The leader does not need to become an IT specialist, but must understand enough to decide: what a tool costs, what it saves, where the company's data lives and who can access it.""",
                8,
            ),
        ],
        "quiz": [
            {
                "kind": "single",
                "text_fr": "Quelle est la première étape recommandée d'un projet de transformation numérique dans une PME ?",
                "text_en": "What is the recommended first step of a digital transformation project in a small company?",
                "feedback_fr": "On part des problèmes concrets de l'entreprise et on les chiffre ; l'outil vient ensuite.",
                "feedback_en": "Start from the company's concrete problems and put numbers on them; the tool comes next.",
                "choices": [
                    ("Choisir le logiciel le plus complet du marché", "Choose the most complete software on the market", False),
                    ("Lister et chiffrer les irritants du quotidien", "List the daily irritants and put numbers on them", True),
                    ("Remplacer tous les ordinateurs", "Replace every computer", False),
                ],
            },
            {
                "kind": "multiple",
                "text_fr": "Quels réflexes de sécurité font partie du socle à enseigner à tous les salariés ?",
                "text_en": "Which security reflexes belong to the basics every employee should learn?",
                "feedback_fr": "Gestionnaire de mots de passe, double authentification et sauvegardes testées ; un mot de passe unique partagé est une faille.",
                "feedback_en": "Password manager, two-factor authentication and tested backups; one shared password is a weakness.",
                "choices": [
                    ("Activer la double authentification sur la messagerie", "Turn on two-factor authentication for e-mail", True),
                    ("Utiliser un même mot de passe simple pour tous les comptes", "Use the same simple password for every account", False),
                    ("Faire des sauvegardes régulières et tester la restauration", "Make regular backups and test restoring them", True),
                    ("Ranger ses mots de passe dans un gestionnaire de mots de passe", "Keep passwords in a password manager", True),
                ],
            },
            {
                "kind": "true_false",
                "text_fr": "La transformation numérique est d'abord un projet informatique, que l'on peut confier entièrement à un prestataire.",
                "text_en": "Digital transformation is first an IT project, which can be handed over entirely to a contractor.",
                "feedback_fr": "Faux : c'est un projet d'entreprise, porté par le dirigeant, avec les équipes qui utiliseront les outils.",
                "feedback_en": "False: it is a business project, led by the leader, with the teams who will use the tools.",
                "correct_bool": False,
            },
            {
                "kind": "numeric",
                "text_fr": "Un logiciel coûte 1 200 € par an. Il fait gagner 2 heures par semaine à une salariée dont l'heure coûte 30 €, sur 46 semaines travaillées. Quel est le gain net annuel, en euros ?",
                "text_en": "A software costs €1,200 a year. It saves an employee, whose hour costs €30, 2 hours a week over 46 working weeks. What is the net yearly gain, in euros?",
                "feedback_fr": "2 h × 30 € × 46 semaines = 2 760 € gagnés, moins 1 200 € de licence : 1 560 €.",
                "feedback_en": "2 h × €30 × 46 weeks = €2,760 saved, minus €1,200 of licence: €1,560.",
                "numeric_answer": "1560",
                "tolerance": "0",
            },
        ],
    },
    {
        "title_fr": "Exporter grâce au numérique",
        "title_en": "Exporting with digital tools",
        "summary_fr": "Trouver des clients à l'étranger, adapter son offre en ligne et préparer ses premières ventes hors de France.",
        "summary_en": "Finding customers abroad, adapting your online offer and preparing your first sales outside France.",
        "lessons": [
            (
                "Le numérique, tremplin vers l'export",
                "Digital tools as a springboard for export",
                """Longtemps, exporter supposait un réseau d'agents et des salons coûteux. Le numérique abaisse ce ticket d'entrée : une PME peut **tester un marché étranger depuis son bureau**.

## Étudier le marché en ligne

- Les outils de recherche et d'analyse d'audience montrent ce que cherchent les internautes d'un pays, et dans quels mots.
- Les places de marché révèlent les prix pratiqués et les avis des clients sur vos concurrents.
- Les réseaux d'accompagnement (CCI, Team France Export, Bpifrance) publient des fiches pays et peuvent vous orienter.

## Adapter sa vitrine

Un site traduit par un professionnel, dans la langue du client, avec **les prix dans sa devise**, les délais et coûts de livraison annoncés dès la fiche produit, les mentions légales et les conditions de vente du pays : c'est souvent ce qui fait la différence entre une visite et une commande.

## Choisir ses canaux

- **Votre propre site** : vous gardez la relation client et les données, mais il faut attirer les visiteurs.
- **Une place de marché** : l'audience est déjà là, contre une commission et des règles imposées.
- **La prospection B2B en ligne** : réseaux professionnels, visioconférences, salons virtuels.

Commencez par un pays proche (langue, réglementation, logistique), mesurez, puis élargissez.""",
                """Exporting long meant a network of agents and costly trade fairs. Digital tools lower that entry ticket: a small company can **test a foreign market from its office**.

## Study the market online

- Search and audience-analysis tools show what people in a country look for, and in which words.
- Marketplaces reveal the prices charged and customers' reviews of your competitors.
- Support networks (chambers of commerce, Team France Export, Bpifrance) publish country guides and can point you in the right direction.

## Adapt your shop window

A website translated by a professional, in the customer's language, with **prices in their currency**, delivery times and costs shown on the product page, and the country's legal notices and terms of sale: that is often the difference between a visit and an order.

## Choose your channels

- **Your own website**: you keep the customer relationship and the data, but you must bring visitors in.
- **A marketplace**: the audience is already there, in exchange for a commission and imposed rules.
- **Online B2B prospecting**: professional networks, video calls, virtual trade fairs.

Start with a nearby country (language, regulation, logistics), measure, then expand.""",
                8,
            ),
            (
                "Préparer sa première vente à l'étranger",
                "Preparing your first sale abroad",
                """Vendre en ligne à l'étranger reste une vente internationale : fiscalité, douane, transport et paiement doivent être prévus **avant** la première commande.

## Qui paie quoi : les Incoterms

Pour les ventes entre professionnels, les **Incoterms** (règles de la Chambre de commerce internationale) fixent où s'arrêtent vos obligations : qui paie le transport, l'assurance, les droits de douane, et à quel moment le risque passe à l'acheteur. Indiquez toujours l'Incoterm et le lieu sur vos devis.

## La TVA et la douane

- Dans l'Union européenne, les ventes à distance aux particuliers suivent des règles de TVA propres ; au-delà d'un seuil européen de 10 000 € de ventes par an, c'est la TVA du pays du client qui s'applique, déclarée via le guichet unique (OSS).
- Hors de l'Union, prévoyez les formalités douanières, les droits et la classification de vos produits.

Faites valider votre schéma par votre expert-comptable ou votre conseiller export.

## Être payé

Paiement à la commande pour les particuliers ; pour les professionnels, des conditions claires, éventuellement un acompte, et une vérification de la solvabilité d'un nouveau client.

## Livrer et gérer les retours

Comparez transporteurs et plateformes logistiques, annoncez les délais réels et prévoyez la procédure de retour : un client étranger hésite davantage s'il ne sait pas comment renvoyer un produit.""",
                """Selling online abroad is still an international sale: tax, customs, transport and payment must be planned **before** the first order.

## Who pays for what: Incoterms

For business-to-business sales, **Incoterms** (rules of the International Chamber of Commerce) set where your obligations stop: who pays for transport, insurance and customs duties, and when the risk passes to the buyer. Always state the Incoterm and the place on your quotes.

## VAT and customs

- Within the European Union, distance sales to consumers follow their own VAT rules; above an EU-wide threshold of €10,000 of sales a year, the VAT of the customer's country applies, declared through the One-Stop Shop (OSS).
- Outside the Union, plan for customs formalities, duties and the classification of your products.

Have your set-up checked by your accountant or your export adviser.

## Getting paid

Payment with the order for consumers; for businesses, clear terms, possibly a deposit, and a solvency check on a new customer.

## Delivering and handling returns

Compare carriers and logistics platforms, announce real delivery times and plan the returns procedure: a foreign customer hesitates more when they do not know how to send a product back.""",
                8,
            ),
        ],
        "quiz": [
            {
                "kind": "single",
                "text_fr": "À quoi sert un Incoterm dans un devis à l'export ?",
                "text_en": "What is an Incoterm for, in an export quote?",
                "feedback_fr": "L'Incoterm répartit les frais (transport, assurance, douane) et fixe le transfert des risques entre vendeur et acheteur.",
                "feedback_en": "The Incoterm shares out the costs (transport, insurance, customs) and sets when the risk passes from seller to buyer.",
                "choices": [
                    ("À fixer le taux de change", "To set the exchange rate", False),
                    ("À répartir frais et risques entre vendeur et acheteur", "To share costs and risks between seller and buyer", True),
                    ("À traduire automatiquement le site", "To translate the website automatically", False),
                ],
            },
            {
                "kind": "multiple",
                "text_fr": "Pour vendre en ligne dans un nouveau pays, que faut-il adapter sur votre site ?",
                "text_en": "To sell online in a new country, what should you adapt on your website?",
                "feedback_fr": "Langue, devise, délais et coûts de livraison, mentions légales et conditions de vente ; la couleur du logo n'est pas un prérequis.",
                "feedback_en": "Language, currency, delivery times and costs, legal notices and terms of sale; the logo colour is not a prerequisite.",
                "choices": [
                    ("La langue, avec une traduction professionnelle", "The language, with a professional translation", True),
                    ("Les prix dans la devise du client", "Prices in the customer's currency", True),
                    ("Les délais et coûts de livraison", "Delivery times and costs", True),
                    ("La couleur du logo", "The colour of the logo", False),
                ],
            },
            {
                "kind": "true_false",
                "text_fr": "Vendre sur une place de marché étrangère dispense de connaître les règles fiscales du pays de vos clients.",
                "text_en": "Selling on a foreign marketplace means you need not know the tax rules of your customers' country.",
                "feedback_fr": "Faux : la place de marché apporte l'audience, mais vos obligations de vendeur (TVA, douane, garanties) demeurent.",
                "feedback_en": "False: the marketplace brings the audience, but your obligations as a seller (VAT, customs, warranties) remain.",
                "correct_bool": False,
            },
            {
                "kind": "numeric",
                "text_fr": "Un produit vaut 80 € hors taxes. La TVA du pays de votre client est de 21 %. Quel est le prix TTC, en euros ? (Vous pouvez écrire une virgule décimale.)",
                "text_en": "A product costs €80 before tax. VAT in your customer's country is 21 %. What is the price including VAT, in euros? (You may use a decimal comma.)",
                "feedback_fr": "80 × 1,21 = 96,80 €.",
                "feedback_en": "80 × 1.21 = €96.80.",
                "numeric_answer": "96.8",
                "tolerance": "0.01",
            },
        ],
    },
    {
        "title_fr": "Innover dans une PME",
        "title_en": "Innovating in a small company",
        "summary_fr": "Des méthodes pour innover sans laboratoire, trouver des partenaires, financer et protéger ses innovations.",
        "summary_en": "Methods to innovate without a laboratory, find partners, fund and protect your innovations.",
        "lessons": [
            (
                "Innover sans laboratoire",
                "Innovating without a laboratory",
                """L'innovation ne se limite pas à la haute technologie : un nouveau service, une nouvelle façon de vendre ou de produire sont des innovations. Une PME a un atout : **elle est proche de ses clients** et décide vite.

## Écouter, tester, mesurer

1. **Écoutez** : entretiens avec dix clients, analyse des réclamations, observation des usages.
2. **Formulez une hypothèse** : « nos clients paieraient pour un suivi de leur commande en temps réel ».
3. **Testez avec un prototype minimal** (un *MVP*, produit minimum viable) : une maquette, une page de présentation, un service rendu à la main avant d'être automatisé.
4. **Mesurez** : combien de clients l'utilisent, paient, reviennent ?
5. **Décidez** : continuer, ajuster ou abandonner — vite et à faible coût.

## Innover avec d'autres

Vous n'êtes pas seul. L'écosystème d'innovation français offre des partenaires : **pôles de compétitivité**, **instituts Carnot** (recherche partenariale avec les entreprises), laboratoires universitaires, start-up avec qui co-développer, clients pilotes. Un projet collaboratif partage les coûts et les risques.

## Une culture plus qu'un service

Donnez du temps et le droit à l'erreur : une boîte à idées suivie d'effets, un petit budget d'expérimentation, un bilan partagé des tests, même ratés.""",
                """Innovation is not limited to high technology: a new service, a new way of selling or producing are innovations too. A small company has an asset: **it is close to its customers** and decides quickly.

## Listen, test, measure

1. **Listen**: interviews with ten customers, analysis of complaints, observation of how products are used.
2. **State a hypothesis**: "our customers would pay for real-time tracking of their order".
3. **Test with a minimal prototype** (an *MVP*, minimum viable product): a mock-up, a landing page, a service done by hand before it is automated.
4. **Measure**: how many customers use it, pay, come back?
5. **Decide**: continue, adjust or drop it — quickly and cheaply.

## Innovating with others

You are not alone. The French innovation ecosystem offers partners: **competitiveness clusters** (pôles de compétitivité), **Carnot institutes** (partnership research with companies), university laboratories, start-ups to co-develop with, pilot customers. A collaborative project shares costs and risks.

## A culture more than a department

Give time and the right to make mistakes: an idea box that leads to action, a small experimentation budget, a shared review of tests, even failed ones.""",
                8,
            ),
            (
                "Financer et protéger l'innovation",
                "Funding and protecting innovation",
                """Une innovation coûte avant de rapporter. Deux questions se posent tôt : **qui finance ?** et **comment éviter la copie ?**

## Financer

- **Les dispositifs fiscaux** : le crédit d'impôt recherche (CIR) et, pour les PME, le crédit d'impôt innovation (CII) remboursent une partie des dépenses éligibles. Leurs taux et conditions évoluent : vérifiez-les chaque année avec votre expert-comptable.
- **Bpifrance** propose aides, avances remboursables et prêts pour les projets d'innovation.
- **Les régions** et les programmes européens financent aussi des projets, souvent collaboratifs.
- **Les clients pilotes** peuvent co-financer un développement dont ils seront les premiers utilisateurs.

Gardez une trace de vos travaux (cahier de projet, temps passé, essais) : c'est ce que l'on vous demandera pour justifier une aide.

## Protéger

- **Le brevet** protège une invention technique nouvelle, inventive et susceptible d'application industrielle — pas une simple idée. Ne divulguez pas l'invention avant le dépôt.
- **La marque** protège un nom ou un logo ; le dépôt se fait auprès de l'INPI.
- **Le dessin et modèle** protège l'apparence d'un produit.
- **Le secret** (accords de confidentialité, accès limités) protège un savoir-faire qui ne se voit pas dans le produit.
- Le **droit d'auteur** protège notamment les logiciels, sans dépôt ; conservez des preuves datées.

Un conseil en propriété industrielle vous aide à choisir la bonne protection pour chaque marché, y compris à l'export.""",
                """An innovation costs before it pays. Two questions come early: **who funds it?** and **how do you avoid being copied?**

## Funding

- **Tax schemes**: the research tax credit (CIR) and, for SMEs, the innovation tax credit (CII) refund part of eligible spending. Their rates and conditions change: check them every year with your accountant.
- **Bpifrance** offers grants, repayable advances and loans for innovation projects.
- **Regions** and European programmes also fund projects, often collaborative ones.
- **Pilot customers** can co-fund a development they will be the first to use.

Keep a record of your work (project log, time spent, trials): it is what you will be asked for to justify funding.

## Protecting

- **A patent** protects a technical invention that is new, inventive and industrially applicable — not a mere idea. Do not disclose the invention before filing.
- **A trade mark** protects a name or a logo; it is filed with the INPI.
- **A design** protects the appearance of a product.
- **Secrecy** (non-disclosure agreements, limited access) protects know-how that cannot be seen in the product.
- **Copyright** protects software among other works, without filing; keep dated evidence.

An industrial-property attorney helps you choose the right protection for each market, export included.""",
                8,
            ),
        ],
        "quiz": [
            {
                "kind": "single",
                "text_fr": "Qu'est-ce qu'un produit minimum viable (MVP) ?",
                "text_en": "What is a minimum viable product (MVP)?",
                "feedback_fr": "Le MVP est la version la plus simple qui permet de tester une hypothèse auprès de vrais clients, vite et à faible coût.",
                "feedback_en": "The MVP is the simplest version that lets you test a hypothesis with real customers, quickly and cheaply.",
                "choices": [
                    ("La version la plus simple permettant de tester une hypothèse auprès de clients", "The simplest version that tests a hypothesis with customers", True),
                    ("Le produit final, complet, prêt pour tous les marchés", "The final, complete product, ready for every market", False),
                    ("Un brevet déposé avant toute étude", "A patent filed before any study", False),
                ],
            },
            {
                "kind": "multiple",
                "text_fr": "Lesquels sont des partenaires possibles d'un projet d'innovation collaboratif ?",
                "text_en": "Which of these are possible partners of a collaborative innovation project?",
                "feedback_fr": "Pôles de compétitivité, instituts Carnot et clients pilotes peuvent tous s'associer à votre projet.",
                "feedback_en": "Competitiveness clusters, Carnot institutes and pilot customers can all join your project.",
                "choices": [
                    ("Un pôle de compétitivité", "A competitiveness cluster", True),
                    ("Un institut Carnot", "A Carnot institute", True),
                    ("Un client pilote", "A pilot customer", True),
                    ("Un concurrent à qui l'on montre l'invention avant le dépôt du brevet, sans accord de confidentialité", "A competitor shown the invention before the patent is filed, without a non-disclosure agreement", False),
                ],
            },
            {
                "kind": "true_false",
                "text_fr": "Une simple idée, même originale, peut être protégée par un brevet.",
                "text_en": "A mere idea, even an original one, can be protected by a patent.",
                "feedback_fr": "Faux : le brevet protège une invention technique (nouvelle, inventive, applicable industriellement), pas une idée.",
                "feedback_en": "False: a patent protects a technical invention (new, inventive, industrially applicable), not an idea.",
                "correct_bool": False,
            },
            {
                "kind": "numeric",
                "text_fr": "Vous présentez un prototype à 40 clients ; 14 se disent prêts à payer. Quel pourcentage de clients est prêt à payer ?",
                "text_en": "You show a prototype to 40 customers; 14 say they are ready to pay. What percentage of customers is ready to pay?",
                "feedback_fr": "14 ÷ 40 = 0,35, soit 35 %.",
                "feedback_en": "14 ÷ 40 = 0.35, that is 35 %.",
                "numeric_answer": "35",
                "tolerance": "0.5",
            },
        ],
    },
    {
        "title_fr": "La relation client à l'ère numérique",
        "title_en": "Customer relations in the digital age",
        "summary_fr": "Connaître ses clients dans le respect du RGPD, être présent là où ils vous cherchent, mesurer ce qui marche.",
        "summary_en": "Knowing your customers while respecting the GDPR, being where they look for you, measuring what works.",
        "lessons": [
            (
                "Connaître et suivre ses clients",
                "Knowing and following up your customers",
                """Vos clients laissent des traces partout : devis, factures, courriels, appels, avis en ligne. Les rassembler dans **un seul fichier client** change la relation.

## L'outil de gestion de la relation client (CRM)

Un CRM, même simple, réunit pour chaque client : ses coordonnées, son historique d'achats, les échanges, les prochaines actions (relance, rendez-vous). Avantages concrets :

- personne ne repart de zéro quand un collègue est absent ;
- les relances ne sont plus oubliées ;
- vous voyez quels clients achètent moins et pouvez agir avant de les perdre.

Commencez petit : un outil en ligne standard, quelques champs utiles, une règle simple (« chaque échange est noté le jour même »).

## Respecter le RGPD

Le règlement général sur la protection des données s'applique à **toutes** les entreprises, quelle que soit leur taille :

- ne collectez que les données **nécessaires** à un objectif précis (minimisation) ;
- informez vos clients de l'usage de leurs données et de leurs droits ;
- recueillez le consentement quand il est requis, par exemple pour la prospection par courriel auprès des particuliers ;
- fixez des durées de conservation et supprimez ce qui n'est plus utile ;
- protégez l'accès au fichier.

## Segmenter

Regroupez vos clients par besoins ou par valeur : on ne s'adresse pas de la même façon à un client fidèle, à un nouveau client et à un client inactif.""",
                """Your customers leave traces everywhere: quotes, invoices, e-mails, calls, online reviews. Bringing them together in **a single customer file** changes the relationship.

## The customer relationship management tool (CRM)

A CRM, even a simple one, gathers for each customer: contact details, purchase history, exchanges, next actions (follow-up, meeting). Concrete benefits:

- nobody starts from scratch when a colleague is away;
- follow-ups are no longer forgotten;
- you see which customers buy less and can act before losing them.

Start small: a standard online tool, a few useful fields, a simple rule ("every exchange is logged the same day").

## Respecting the GDPR

The General Data Protection Regulation applies to **every** company, whatever its size:

- collect only the data **needed** for a specific purpose (data minimisation);
- tell your customers how their data is used and what their rights are;
- obtain consent where it is required, for instance for e-mail marketing to consumers;
- set retention periods and delete what is no longer useful;
- protect access to the file.

## Segmenting

Group your customers by needs or by value: you do not address a loyal customer, a new customer and an inactive customer in the same way.""",
                8,
            ),
            (
                "Être présent là où vos clients vous cherchent",
                "Being where your customers look for you",
                """Avant d'appeler ou de pousser la porte, la plupart des clients cherchent en ligne. Votre présence numérique est votre **première vitrine**.

## Les fondamentaux

- **Une fiche d'établissement à jour** sur les moteurs de recherche et les cartes : horaires, téléphone, photos, services.
- **Un site clair**, lisible sur téléphone, qui dit en une phrase ce que vous faites, pour qui, et comment vous contacter.
- **Un ou deux réseaux sociaux** choisis selon vos clients, animés régulièrement plutôt que partout et rarement.

## Les avis clients

Les avis influencent la décision d'achat. Répondez à tous, surtout aux avis négatifs : **remerciez, reconnaissez le problème, proposez une solution** et poursuivez l'échange en privé. Ne répondez jamais sous le coup de la colère et n'achetez jamais de faux avis (c'est une pratique commerciale trompeuse).

## Répondre vite

Un client qui écrit attend une réponse rapide. Fixez-vous un délai (par exemple, une réponse dans la journée ouvrée) et un responsable par canal.

## Mesurer

Quelques indicateurs suffisent :

- le **taux de conversion** : commandes (ou demandes de devis) ÷ visites ;
- le délai moyen de réponse ;
- la note moyenne des avis et son évolution ;
- le taux de clients qui rachètent.

Suivez-les chaque mois : ils disent si vos efforts paient.""",
                """Before calling or walking in, most customers search online. Your digital presence is your **first shop window**.

## The basics

- **An up-to-date business listing** on search engines and maps: opening hours, phone number, photos, services.
- **A clear website**, readable on a phone, that says in one sentence what you do, for whom, and how to contact you.
- **One or two social networks** chosen according to your customers, active regularly rather than everywhere and rarely.

## Customer reviews

Reviews influence buying decisions. Answer all of them, above all negative ones: **thank, acknowledge the problem, offer a solution** and continue the exchange privately. Never answer in anger and never buy fake reviews (it is a misleading commercial practice).

## Answer quickly

A customer who writes expects a quick answer. Set yourself a deadline (for instance, an answer within the working day) and one person in charge per channel.

## Measure

A few indicators are enough:

- the **conversion rate**: orders (or quote requests) ÷ visits;
- the average response time;
- the average review rating and how it changes;
- the share of customers who buy again.

Follow them every month: they tell you whether your efforts pay off.""",
                8,
            ),
        ],
        "quiz": [
            {
                "kind": "single",
                "text_fr": "Selon le principe de minimisation du RGPD, quelles données clients collecter ?",
                "text_en": "Under the GDPR data-minimisation principle, which customer data should you collect?",
                "feedback_fr": "Seulement les données nécessaires à un objectif précis.",
                "feedback_en": "Only the data needed for a specific purpose.",
                "choices": [
                    ("Toutes celles qui pourraient servir un jour", "All that might be useful one day", False),
                    ("Seulement celles nécessaires à un objectif précis", "Only those needed for a specific purpose", True),
                    ("Celles que les concurrents collectent", "Those competitors collect", False),
                ],
            },
            {
                "kind": "multiple",
                "text_fr": "Face à un avis client négatif, quelles réponses sont recommandées ?",
                "text_en": "Faced with a negative customer review, which responses are recommended?",
                "feedback_fr": "Remercier, reconnaître le problème et proposer une solution ; jamais de faux avis pour compenser.",
                "feedback_en": "Thank, acknowledge the problem and offer a solution; never fake reviews to compensate.",
                "choices": [
                    ("Remercier le client pour son retour", "Thank the customer for the feedback", True),
                    ("Reconnaître le problème et proposer une solution", "Acknowledge the problem and offer a solution", True),
                    ("Publier de faux avis positifs pour noyer l'avis négatif", "Post fake positive reviews to bury the negative one", False),
                    ("Poursuivre l'échange en privé", "Continue the exchange privately", True),
                ],
            },
            {
                "kind": "true_false",
                "text_fr": "Le RGPD ne concerne que les grandes entreprises.",
                "text_en": "The GDPR only concerns large companies.",
                "feedback_fr": "Faux : il s'applique à toute entreprise qui traite des données personnelles, quelle que soit sa taille.",
                "feedback_en": "False: it applies to every company that processes personal data, whatever its size.",
                "correct_bool": False,
            },
            {
                "kind": "numeric",
                "text_fr": "Votre site a reçu 2 000 visites le mois dernier et enregistré 50 commandes. Quel est le taux de conversion, en % ? (par exemple 3,5)",
                "text_en": "Your website had 2,000 visits last month and 50 orders. What is the conversion rate, in %? (for example 3.5)",
                "feedback_fr": "50 ÷ 2 000 = 0,025, soit 2,5 %.",
                "feedback_en": "50 ÷ 2,000 = 0.025, that is 2.5 %.",
                "numeric_answer": "2.5",
                "tolerance": "0.05",
            },
        ],
    },
]
