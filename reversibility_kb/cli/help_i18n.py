"""The words of the command line's help, in both languages: every verb, every option, and the
few words click writes around them. :mod:`.cli.help` chooses the language and lays them out.

A verb's first paragraph is its line in the list of verbs (short enough for one line of an
80-column terminal). An option's help is looked up as ``"verb --option"``, then as ``"--option"``
(the options many verbs share). Placeholders (``CASE``, ``FILE``) are written in each language's
own words, as in the usage line. French typography: a narrow no-break space (``\\u202f``) before
``:`` and ``;``."""

from __future__ import annotations

#: The help of each verb, and of the command itself (``reversibility-kb``).
VERBS: dict[str, dict[str, str]] = {
    "reversibility-kb": {
        "en": "An expert system on the reversibility of IT outsourcing.\n\n"
              "Language: --lang fr or --lang en, given to a verb or before it, sets the language of the outputs and of this "
              "help; the REVERSIBILITY_KB_LANG environment variable gives its default. Without either, the help follows the "
              "locale (LANG=fr_FR.UTF-8 shows it in French) while the outputs stay in English: the same bytes on every machine.",
        "fr": "Système expert de la réversibilité de l'infogérance.\n\n"
              "Langue\u202f: --lang fr ou --lang en, donnée au verbe ou avant lui, fixe la langue des sorties et de cette "
              "aide\u202f; la variable d'environnement REVERSIBILITY_KB_LANG en donne la valeur par défaut. Sans l'une ni "
              "l'autre, l'aide suit la locale (LANG=fr_FR.UTF-8 l'affiche en français) tandis que les sorties restent en "
              "anglais\u202f: les mêmes octets sur toute machine.",
    },
    "assess": {
        "en": "Assess CASE and print its findings.\n\n"
              "CASE is a case file (.yaml, .yml, .json) or the id of a bundled case (see reversibility-kb cases). "
              "The findings come most serious first.",
        "fr": "Évaluer DOSSIER et en afficher les constats.\n\n"
              "DOSSIER est un fichier de dossier (.yaml, .yml, .json) ou l'identifiant d'un cas fourni avec l'outil "
              "(voir reversibility-kb cases). Les constats vont du plus grave au moins grave.",
    },
    "explain": {
        "en": "Show how FINDING follows from the facts of CASE.\n\n"
              "FINDING is a finding, or any conclusion the case reached; --format json gives the graph (node-link).",
        "fr": "Montrer comment CONSTAT découle des faits de DOSSIER.\n\n"
              "CONSTAT est un constat, ou toute conclusion atteinte sur le dossier\u202f; --format json en donne le graphe "
              "(au format node-link).",
    },
    "rules": {
        "en": "List the rules with the seed points they encode.\n\n"
              "The bundled rulebook, with the packs added by --pack: each rule's id, severity, sources in the reference "
              "document and title.",
        "fr": "Lister les règles et leurs sources de référence.\n\n"
              "La base de règles fournie, avec les lots ajoutés par --pack\u202f: pour chaque règle, son identifiant, sa "
              "gravité, ses sources dans le document de référence et son intitulé.",
    },
    "cases": {
        "en": "List the bundled worked cases.",
        "fr": "Lister les cas pratiques fournis avec l'outil.",
    },
    "check": {
        "en": "Compare the golden findings of CASES with the engine's.\n\n"
              "CASES are all the bundled cases and their variations by default. A case without golden findings is "
              "reported as such: it does not count as a match. Exit status 1 when a case does not match.",
        "fr": "Comparer constats attendus et constats du moteur.\n\n"
              "DOSSIERS\u202f: par défaut, tous les cas fournis et leurs variantes. Un dossier sans constats attendus est "
              "signalé comme tel\u202f: il ne compte pas comme concordant. Code de sortie 1 si un dossier ne concorde pas.",
    },
    "why": {
        "en": "Why FINDING holds: the rules and facts behind it.\n\n"
              "Each rule that fired, with the facts it used, its rationale and its sources.",
        "fr": "Pourquoi CONSTAT est établi\u202f: ses règles et ses faits.\n\n"
              "Chaque règle déclenchée, avec les faits qu'elle a retenus, sa justification et ses sources.",
    },
    "why-not": {
        "en": "Why a rule did not fire, or a finding is absent.\n\n"
              "RULE_OR_FINDING is a rule id or a conclusion kind. Each condition of the rule is shown met, failed, unknown, "
              "absent from the file, or an intermediate conclusion not reached.",
        "fr": "Pourquoi une règle n'a pas joué, ou un constat manque.\n\n"
              "RÈGLE_OU_CONSTAT est l'identifiant d'une règle ou un type de conclusion. Chaque condition de la règle est "
              "dite remplie, non remplie, inconnue, absente du fichier, ou conclusion intermédiaire non atteinte.",
    },
    "what-if": {
        "en": "Re-assess CASE with facts changed: the differences.\n\n"
              "The changes are given with --set (repeatable) and/or --patch; the findings that appear, disappear or change "
              "are listed with their reasons. With --remove FINDING instead: the smallest sets of changes (taken from the "
              "rules' conditions, up to three facts) that would remove that finding.",
        "fr": "Réévaluer DOSSIER avec des faits modifiés\u202f: les écarts.\n\n"
              "Les modifications se donnent par --set (répétable) et/ou --patch\u202f; les constats qui apparaissent, "
              "disparaissent ou changent sont listés avec leurs motifs. Avec --remove CONSTAT à la place\u202f: les plus "
              "petits ensembles de modifications (tirées des conditions des règles, trois faits au plus) qui feraient "
              "disparaître ce constat.",
    },
    "questions": {
        "en": "The investigation checklist of CASE, most useful first.\n\n"
              "The unknown facts that would change a conclusion, ranked, each with the findings at stake.",
        "fr": "Les points à instruire sur DOSSIER, par ordre d'utilité.\n\n"
              "Les faits inconnus qui changeraient une conclusion, classés, chacun avec les constats en jeu.",
    },
    "assess-dir": {
        "en": "Assess every case file under DIRECTORY.\n\n"
              "One JSON line per file on standard output (or in -o FILE) as each is done, a summary on standard error. "
              "A file that cannot be assessed gets its own error line and the run goes on; --resume takes up an "
              "interrupted -o file.",
        "fr": "Évaluer chaque fichier de dossier sous RÉPERTOIRE.\n\n"
              "Une ligne JSON par fichier sur la sortie standard (ou dans -o FICHIER), au fur et à mesure, et un bilan sur "
              "la sortie d'erreur. Un fichier qui ne peut être évalué a sa propre ligne d'erreur et le traitement "
              "continue\u202f; --resume reprend un fichier -o interrompu.",
    },
    "schema": {
        "en": "Print the JSON Schema of case files.",
        "fr": "Afficher le schéma JSON des fichiers de dossier.",
    },
    "report": {
        "en": "Write the expert's report on CASE.\n\n"
              "The findings and their reasoning, the reasoning graph and the investigation checklist (unless "
              "--no-questions): in Markdown, or as one self-contained HTML page.",
        "fr": "Rédiger le rapport de l'expert sur DOSSIER.\n\n"
              "Les constats et leur raisonnement, le graphe du raisonnement et les points à instruire (sauf "
              "--no-questions)\u202f: en Markdown, ou en une page HTML autonome.",
    },
    "graph": {
        "en": "Export the reasoning graph of CASE.\n\n"
              "From the facts, through the rule firings, to the conclusions; --finding keeps the part that leads to one "
              "finding.",
        "fr": "Exporter le graphe du raisonnement sur DOSSIER.\n\n"
              "Des faits aux conclusions en passant par les règles déclenchées\u202f; --finding n'en garde que la partie "
              "qui mène à un constat.",
    },
    "court-report": {
        "en": "Write the court expert's report on CASE.\n\n"
              "In the court's structure: mission, parties, conduct of the expertise, exhibits, chronology, contract, "
              "analysis, doubts, remedies, dires, answers to the mission, annexes.",
        "fr": "Rédiger le rapport d'expertise judiciaire sur DOSSIER.\n\n"
              "Selon le plan d'usage\u202f: mission, parties, déroulement des opérations, pièces, chronologie, contrat, "
              "analyse, doutes non levés, observations sur les remèdes, dires, réponses à la mission, annexes.",
    },
    "note": {
        "en": "Draft the note to the parties on CASE.\n\n"
              "Under article 275 of the French Code of Civil Procedure: per party, the documents and answers requested, "
              "each with what it would add to or remove from the findings, and the deadline.",
        "fr": "Préparer la note aux parties sur DOSSIER.\n\n"
              "Au titre de l'article 275 du Code de procédure civile\u202f: pour chaque partie, les pièces et réponses "
              "demandées, chacune avec ce qu'elle ajouterait aux constats ou en retirerait, et la date limite de réponse.",
    },
    "exercise": {
        "en": "Make the exercise sheet of CASE.\n\n"
              "The statement of facts, the documents (without the golden answer), the themes and the answer template; "
              "or the template alone (--format template).",
        "fr": "Établir la fiche d'exercice de DOSSIER.\n\n"
              "L'exposé des faits, les pièces (sans le corrigé), les thèmes et le modèle de réponse\u202f; ou le modèle "
              "seul (--format template).",
    },
    "train": {
        "en": "Grade a trainee's answers to CASE, or give clues.\n\n"
              "With --answers FILE, one trainee's answers; with a directory, a class report. --hint gives clues instead, "
              "--interactive runs the exercise in the terminal.",
        "fr": "Corriger la copie d'un stagiaire sur DOSSIER, ou l'aider.\n\n"
              "Avec --answers FICHIER, la copie d'un stagiaire\u202f; avec un répertoire, le bilan d'une promotion. "
              "--hint donne plutôt des indices, --interactive déroule l'exercice dans le terminal.",
    },
    "coverage": {
        "en": "List the rule changes that no worked case notices.\n\n"
              "Each rule is mutated, one change at a time; the changes that every worked case lets through are listed, "
              "rule by rule. A progress bar goes to standard error when it is a terminal.",
        "fr": "Lister les altérations de règles qu'aucun cas ne détecte.\n\n"
              "Chaque règle est altérée, une modification à la fois\u202f; celles qu'aucun cas pratique ne remarque sont "
              "listées, règle par règle. Une barre de progression s'affiche sur la sortie d'erreur quand c'est un "
              "terminal.",
    },
    "review": {
        "en": "Review DRAFT, a contract before signature.\n\n"
              "DRAFT is a case file without history. The missing or weak reversibility provisions, most serious first, "
              "with their grounds and a clause outline.",
        "fr": "Relire PROJET, un contrat avant sa signature.\n\n"
              "PROJET est un fichier de dossier sans historique. Les stipulations de réversibilité manquantes ou "
              "insuffisantes, les plus graves d'abord, avec leurs fondements et une trame de clause.",
    },
    "import-register": {
        "en": "Turn a DORA register of information into case files.\n\n"
              "DIRECTORY holds the templates' CSV files; one case file per ICT contractual arrangement is written to -o, "
              "to be judged with the dora pack.",
        "fr": "Convertir un registre d'informations DORA en dossiers.\n\n"
              "RÉPERTOIRE contient les fichiers CSV des modèles de déclaration\u202f; un fichier de dossier par accord "
              "contractuel TIC est écrit dans -o, à évaluer avec le lot de règles dora.",
    },
    "assess-register": {
        "en": "Assess every arrangement of a DORA register (dora pack).\n\n"
              "DIRECTORY holds the register's CSV files. One JSON line per arrangement (standard output or --jsonl) and, "
              "with --html, a portfolio page: findings by severity, provider and function, and the arrangements most at "
              "risk.",
        "fr": "Évaluer chaque accord d'un registre DORA (lot dora).\n\n"
              "RÉPERTOIRE contient les fichiers CSV du registre. Une ligne JSON par accord (sortie standard ou --jsonl) et, "
              "avec --html, une page de portefeuille\u202f: constats par gravité, prestataire et fonction, et accords les "
              "plus exposés.",
    },
}

#: The help of each option: ``"verb --option"`` for one verb's, ``"--option"`` for the shared ones.
OPTIONS: dict[str, dict[str, str]] = {
    "--help": {"en": "Show this message and exit.", "fr": "Afficher cette aide et quitter."},
    "--version": {"en": "Show the version and exit.", "fr": "Afficher la version et quitter."},
    "--lang": {
        "en": "Language of the output and of this help (REVERSIBILITY_KB_LANG sets the default).",
        "fr": "Langue de la sortie et de cette aide (REVERSIBILITY_KB_LANG en fixe la valeur par défaut).",
    },
    "reversibility-kb --lang": {
        "en": "Language of every verb's output (unless the verb's own --lang says otherwise) and of this help.",
        "fr": "Langue des sorties de tous les verbes (sauf --lang propre au verbe) et de cette aide.",
    },
    "--format": {"en": "Output format.", "fr": "Format de la sortie."},
    "--pack": {
        "en": "Add a rule pack of today's law (repeatable).",
        "fr": "Ajouter un lot de règles du droit en vigueur (option répétable).",
    },
    "--output": {
        "en": "Write to FILE instead of standard output.",
        "fr": "Écrire dans FICHIER plutôt que sur la sortie standard.",
    },
    "--workers": {
        "en": "Worker processes (default: one per core).",
        "fr": "Nombre de processus de calcul (par défaut\u202f: un par cœur).",
    },
    "--as-of": {
        "en": "The register's date (default: its latest start date).",
        "fr": "Date de situation du registre (par défaut\u202f: la plus récente de ses dates de début).",
    },
    "schema --format": {"en": "The schema is JSON (JSON Schema 2020-12).", "fr": "Le schéma est en JSON (JSON Schema 2020-12)."},
    "why --depth": {
        "en": "summary: the rules that concluded FINDING and those whose conclusions they used; full: every rule firing "
              "back to the input facts.",
        "fr": "summary\u202f: les règles qui ont conclu à CONSTAT et celles dont elles ont repris les conclusions\u202f; "
              "full\u202f: toutes les règles déclenchées, jusqu'aux faits d'entrée.",
    },
    "what-if --set": {"en": "Change one fact (repeatable).", "fr": "Modifier un fait (option répétable)."},
    "what-if --patch": {
        "en": "A YAML or JSON mapping of paths to values.",
        "fr": "Un fichier YAML ou JSON qui associe des chemins à des valeurs.",
    },
    "what-if --remove": {
        "en": "Find the smallest changes that remove FINDING.",
        "fr": "Chercher les plus petites modifications qui font disparaître CONSTAT.",
    },
    "assess-dir --output": {
        "en": "JSON Lines file, written as each case is done (default: standard output).",
        "fr": "Fichier JSON Lines, écrit au fur et à mesure des dossiers traités (par défaut\u202f: la sortie standard).",
    },
    "assess-dir --resume": {
        "en": "Keep the results already in the -o file and assess only the other files.",
        "fr": "Garder les résultats déjà présents dans le fichier -o et n'évaluer que les autres fichiers.",
    },
    "report --format": {"en": "Markdown, or one self-contained HTML page.", "fr": "Markdown, ou une page HTML autonome."},
    "report --questions": {"en": "Include the investigation checklist.", "fr": "Inclure les points à instruire."},
    "graph --format": {"en": "Picture (svg) or exchange format.", "fr": "Image (svg) ou format d'échange."},
    "graph --finding": {
        "en": "Only the part of the graph that leads to this finding or conclusion.",
        "fr": "Seulement la partie du graphe qui mène à ce constat ou à cette conclusion.",
    },
    "court-report --format": {
        "en": "Markdown, one self-contained HTML page, or a Word document (with -o).",
        "fr": "Markdown, une page HTML autonome, ou un document Word (avec -o).",
    },
    "note --deadline": {
        "en": "Date the answers are due (YYYY-MM-DD); default: 30 days after the case's as-of date.",
        "fr": "Date limite des réponses (AAAA-MM-JJ)\u202f; par défaut\u202f: 30 jours après la date de situation du dossier.",
    },
    "note --days": {
        "en": "Or: the answers are due this many days after the case's as-of date.",
        "fr": "Ou bien\u202f: le délai de réponse, en jours après la date de situation du dossier.",
    },
    "note --format": {"en": "Markdown, or a Word document (with -o).", "fr": "Markdown, ou un document Word (avec -o)."},
    "exercise --format": {
        "en": "The sheet (Markdown or one self-contained HTML page), or the answer template alone (YAML).",
        "fr": "La fiche (Markdown ou page HTML autonome), ou le modèle de réponse seul (YAML).",
    },
    "train --answers": {
        "en": "An answer file to grade, or a directory of them (a class report).",
        "fr": "Une copie à corriger, ou un répertoire de copies (bilan d'une promotion).",
    },
    "train --hint": {
        "en": "Clues instead of a grading: 1 the theme, 2 the facts to look at, 3 the rule.",
        "fr": "Des indices au lieu d'une correction\u202f: 1 le thème, 2 les faits à examiner, 3 la règle.",
    },
    "train --interactive": {
        "en": "Answer in the terminal, with clues on request, then see the grading.",
        "fr": "Répondre dans le terminal, avec des indices à la demande, puis voir la correction.",
    },
    "coverage --rules": {
        "en": "A rulebook directory (default: the bundled rulebook).",
        "fr": "Un répertoire de règles (par défaut\u202f: la base de règles fournie).",
    },
    "coverage --only": {"en": "Mutate only this rule (repeatable).", "fr": "N'altérer que cette règle (option répétable)."},
    "review --format": {
        "en": "Markdown, one self-contained HTML page, a Word document (with -o), or JSON.",
        "fr": "Markdown, une page HTML autonome, un document Word (avec -o), ou JSON.",
    },
    "import-register --output": {
        "en": "Directory for the case files.",
        "fr": "Répertoire où écrire les fichiers de dossier.",
    },
    "assess-register --html": {
        "en": "Write the portfolio page (HTML with charts).",
        "fr": "Écrire la page de portefeuille (HTML avec graphiques).",
    },
    "assess-register --jsonl": {
        "en": "Write one JSON line per arrangement (default: standard output).",
        "fr": "Écrire une ligne JSON par accord (par défaut\u202f: la sortie standard).",
    },
}

#: The words click writes around the help: headings (click adds nothing to them), the notes
#: after an option's help (``{}`` is the value), and the separator between those notes.
WORDS: dict[str, dict[str, str]] = {
    "usage": {"en": "Usage:", "fr": "Utilisation\u202f:"},
    "options": {"en": "Options:", "fr": "Options\u202f:"},
    "commands": {"en": "Commands:", "fr": "Commandes\u202f:"},
    "default": {"en": "default: {}", "fr": "par défaut\u202f: {}"},
    "envvar": {"en": "env var: {}", "fr": "variable d'environnement\u202f: {}"},
    "required": {"en": "required", "fr": "obligatoire"},
    "and": {"en": "; ", "fr": "\u202f; "},
}

#: The placeholders of the usage line and of the options, English → French (English keeps its own).
PLACEHOLDERS: dict[str, str] = {
    "OPTIONS": "OPTIONS",
    "COMMAND": "COMMANDE",
    "ARGS": "ARGUMENTS",
    "CASE": "DOSSIER",
    "CASES": "DOSSIERS",
    "FINDING": "CONSTAT",
    "RULE_OR_FINDING": "RÈGLE_OU_CONSTAT",
    "DRAFT": "PROJET",
    "DIRECTORY": "RÉPERTOIRE",
    "DIR": "RÉPERTOIRE",
    "FILE": "FICHIER",
    "PATH": "CHEMIN",
    "VALUE": "VALEUR",
    "RULE": "RÈGLE",
    "ID": "ID",
    "INTEGER RANGE": "ENTIER",
}
