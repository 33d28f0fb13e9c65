"""The words of the court expert's report, in both languages.

Kept apart from :mod:`reversibility_kb.outputs.report_i18n` (the findings report): the court report has
its own sections and vocabulary (exhibits, dires, mission). Texts with ``{name}`` fields are
filled by :func:`phrase`. French typography: a narrow no-break space (U+202F) before ``:``, ``;``,
``?`` and ``!`` — written here as ``\\u202f``.
"""

from __future__ import annotations

from typing import Any

NNBSP = "\u202f"

WORDS: dict[str, dict[str, str]] = {
    # Cover.
    "kind_judicial": {"fr": "Rapport d'expertise judiciaire", "en": "Court expert's report"},
    "kind_conventional_technician": {"fr": "Rapport du technicien désigné par convention", "en": "Report of the technician appointed by agreement"},
    "kind_private_advice": {"fr": "Avis technique privé", "en": "Private technical opinion"},
    "subject": {"fr": "Réversibilité d'une infogérance", "en": "Reversibility of an IT outsourcing contract"},
    "setting_judicial": {
        "fr": "Expertise ordonnée par une juridiction (Code de procédure civile, art. 232 et suivants). L'expert répond aux seules questions de sa mission et ne porte aucune appréciation d'ordre juridique (art. 238)\u202f; ses constatations ne lient pas le juge (art. 246).",
        "en": "Expertise ordered by a court (French Code of Civil Procedure, art. 232 ff.). The expert answers only the questions of the mission and gives no legal appreciation (art. 238); the court is not bound by the findings (art. 246).",
    },
    "setting_conventional_technician": {
        "fr": "Mission confiée d'un commun accord par les parties à un technicien (Code de procédure civile, art. 131 et suivants, issus du décret n° 2025-660 du 18 juillet 2025, en vigueur depuis le 1er septembre 2025). Le technicien accomplit sa mission avec conscience, diligence et impartialité, dans le respect du contradictoire, et ne porte aucune appréciation d'ordre juridique (art. 131-2)\u202f; son rapport a la même valeur qu'un rapport d'expertise judiciaire (art. 131-8).",
        "en": "Mission given by agreement of the parties to a technician (French Code of Civil Procedure, art. 131 ff., from decree no. 2025-660 of 18 July 2025, in force since 1 September 2025). The technician works with conscience, diligence and impartiality, hearing both sides, and gives no legal appreciation (art. 131-2); the report has the same value as a court expert's report (art. 131-8).",
    },
    "setting_private_advice": {
        "fr": "Avis technique rendu à la demande d'une partie, hors de toute désignation judiciaire. Il ne remplace pas une expertise contradictoire et ne porte aucune appréciation d'ordre juridique. Il comprend l'analyse de la manière dont le prestataire construit sa marge (point S10.c du document de référence).",
        "en": "Technical opinion given at the request of one party, outside any appointment by a court. It does not replace an expertise heard by both sides and gives no legal appreciation. It includes the analysis of how the provider builds its margin (point S10.c of the reference document).",
    },
    "authority": {"fr": "Désigné par", "en": "Appointed by"},
    "reference": {"fr": "Référence", "en": "Reference"},
    "expert": {"fr": "Expert", "en": "Expert"},
    "appointed_on": {"fr": "Date de la désignation", "en": "Date of appointment"},
    "deadline": {"fr": "Date de dépôt fixée", "en": "Report due on"},
    "case_title": {"fr": "Affaire", "en": "Case"},
    "as_of": {"fr": "Situation au", "en": "As of"},
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "not_given": {"fr": "non précisé", "en": "not given"},
    # Section titles.
    "s_mission": {"fr": "Mission", "en": "Mission"},
    "s_parties": {"fr": "Parties", "en": "Parties"},
    "s_conduct": {"fr": "Déroulement de l'expertise", "en": "Conduct of the expertise"},
    "s_exhibits": {"fr": "Pièces reçues", "en": "Exhibits received"},
    "s_chronology": {"fr": "Chronologie des faits", "en": "Chronology of the facts"},
    "s_contract": {"fr": "Le contrat et ses documents", "en": "The contract and its documents"},
    "s_analysis": {"fr": "Analyse, constat par constat", "en": "Analysis, finding by finding"},
    "s_established": {"fr": "Points établis et doutes non levés", "en": "Points established and doubts not lifted"},
    "s_remedies": {"fr": "Observations techniques sur les remèdes", "en": "Technical observations on the remedies"},
    "s_margin": {"fr": "Analyse de la marge du prestataire", "en": "Analysis of the provider's margin"},
    "s_dires": {"fr": "Dires des parties et réponses de l'expert", "en": "The parties' dires and the expert's replies"},
    "s_answers": {"fr": "Réponses aux questions de la mission", "en": "Answers to the questions of the mission"},
    "s_annexes": {"fr": "Annexes", "en": "Annexes"},
    "a_graph": {"fr": "Annexe 1 — Graphe du raisonnement", "en": "Annex 1 — Reasoning graph"},
    "a_rules": {"fr": "Annexe 2 — Règles appliquées", "en": "Annex 2 — Rules applied"},
    "a_digests": {"fr": "Annexe 3 — Empreintes", "en": "Annex 3 — Digests"},
    # Mission.
    "questions": {"fr": "Questions posées", "en": "Questions asked"},
    "grievances": {"fr": "Griefs du demandeur", "en": "The claimant's grievances"},
    "no_mission": {"fr": "Le dossier ne comporte pas le texte de la mission.", "en": "The file does not hold the text of the mission."},
    # Parties.
    "party": {"fr": "Partie", "en": "Party"},
    "role": {"fr": "Qualité", "en": "Role"},
    "id": {"fr": "Identifiant", "en": "Identifier"},
    "role_client": {"fr": "client", "en": "client"},
    "role_provider": {"fr": "prestataire", "en": "provider"},
    "role_successor": {"fr": "repreneur", "en": "successor"},
    "role_prime_contractor": {"fr": "maître d'œuvre", "en": "prime contractor"},
    "role_individual": {"fr": "personne physique", "en": "individual"},
    "role_administrator": {"fr": "administrateur ou liquidateur", "en": "administrator or liquidator"},
    # Conduct.
    "date": {"fr": "Date", "en": "Date"},
    "step": {"fr": "Diligence", "en": "Step"},
    "present": {"fr": "Parties présentes ou destinataires", "en": "Parties present or addressed"},
    "d_meeting": {"fr": "Réunion d'expertise", "en": "Expert meeting"},
    "d_site_visit": {"fr": "Visite sur les lieux", "en": "Site visit"},
    "d_note_to_parties": {"fr": "Note aux parties", "en": "Note to the parties"},
    "d_pre_report": {"fr": "Note de synthèse", "en": "Summary note"},
    "d_other": {"fr": "Autre diligence", "en": "Other step"},
    "d_dire": {"fr": "Dire reçu — {party}", "en": "Dire received — {party}"},
    "no_conduct": {"fr": "Aucune diligence datée n'est consignée au dossier.", "en": "No dated step is recorded in the file."},
    # Exhibits.
    "number": {"fr": "N°", "en": "No."},
    "title": {"fr": "Intitulé", "en": "Title"},
    "produced_by": {"fr": "Produite par", "en": "Produced by"},
    "communicated": {"fr": "Communiquée à toutes les parties", "en": "Communicated to every party"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "unknown": {"fr": "non établi", "en": "not established"},
    "sha256": {"fr": "Empreinte SHA-256", "en": "SHA-256 digest"},
    "no_exhibits": {"fr": "Aucune pièce n'est enregistrée au dossier.", "en": "No exhibit is recorded in the file."},
    "exhibits_note": {
        "fr": "Une pièce non communiquée à toutes les parties ne peut fonder une constatation opposable à toutes (Code de procédure civile, art. 16)\u202f; les constats qui en dépendent sont signalés.",
        "en": "An exhibit not communicated to every party cannot ground a finding that binds them all (Code of Civil Procedure, art. 16); the findings that depend on one are flagged.",
    },
    # Chronology.
    "event": {"fr": "Fait", "en": "Fact"},
    "exhibits": {"fr": "Pièces", "en": "Exhibits"},
    "timeline_caption": {
        "fr": "Frise chronologique\u202f: chaque point renvoie au numéro de ligne de la chronologie\u202f; les diligences de l'expertise et les dires (E1, E2…, voir son déroulement) figurent sur la dernière ligne.",
        "en": "Timeline: each point refers to the row number of the chronology; the steps of the expertise and the dires (E1, E2…, see its conduct) are on the last line.",
    },
    "lane_other": {"fr": "Autres faits", "en": "Other facts"},
    "lane_expertise": {"fr": "Expertise", "en": "Expertise"},
    "by": {"fr": "par {party}", "en": "by {party}"},
    "against": {"fr": "visant {party}", "en": "aimed at {party}"},
    "to": {"fr": "au profit de {party}", "en": "to {party}"},
    "about": {"fr": "objet\u202f: {item}", "en": "about: {item}"},
    # Contract.
    "contract_id": {"fr": "Contrat", "en": "Contract"},
    "signed_on": {"fr": "Signé le", "en": "Signed on"},
    "object": {"fr": "Objet", "en": "Object"},
    "objective": {"fr": "Objectif du client", "en": "The client's objective"},
    "term": {"fr": "Durée", "en": "Term"},
    "months": {"fr": "{n} mois", "en": "{n} months"},
    "phases": {"fr": "Phases", "en": "Phases"},
    "phase": {"fr": "Phase", "en": "Phase"},
    "order": {"fr": "Ordre", "en": "Order"},
    "location": {"fr": "Lieu", "en": "Location"},
    "duration": {"fr": "Durée", "en": "Duration"},
    "criteria": {"fr": "Critères de recette écrits", "en": "Written acceptance criteria"},
    "levels": {"fr": "Niveaux de service fixés", "en": "Service levels set"},
    "inventory": {"fr": "Inventaire des équipements à la reprise", "en": "Inventory of equipment at takeover"},
    "documents": {"fr": "Documents contractuels", "en": "Contractual documents"},
    "document": {"fr": "Document", "en": "Document"},
    "acceptance": {"fr": "Recette", "en": "Acceptance"},
    "no_documents": {"fr": "Le dossier ne recense aucun document contractuel planifié.", "en": "The file lists no planned contractual document."},
    "acc_none": {"fr": "aucune livraison ni recette consignée", "en": "no delivery or acceptance recorded"},
    "acc_delivered": {"fr": "livré le {date}, non recetté", "en": "delivered on {date}, not accepted"},
    "acc_accepted": {"fr": "recetté le {date}", "en": "accepted on {date}"},
    "acc_accepted_with_reservations": {"fr": "recetté avec réserves le {date}", "en": "accepted with reservations on {date}"},
    "acc_rejected": {"fr": "refusé le {date}", "en": "rejected on {date}"},
    "loc_client_site": {"fr": "chez le client", "en": "at the client's"},
    "loc_provider_pooled": {"fr": "plateforme mutualisée du prestataire", "en": "provider's pooled platform"},
    "loc_provider_dedicated": {"fr": "plateforme dédiée du prestataire", "en": "provider's dedicated platform"},
    "loc_unknown": {"fr": "non précisé", "en": "not given"},
    # Analysis.
    "finding": {"fr": "Constat", "en": "Finding"},
    "severity": {"fr": "Gravité", "en": "Severity"},
    "high": {"fr": "élevée", "en": "high"},
    "medium": {"fr": "moyenne", "en": "medium"},
    "low": {"fr": "faible", "en": "low"},
    "info": {"fr": "information", "en": "information"},
    "answers": {"fr": "Questions de la mission", "en": "Mission questions"},
    "outside_mission": {"fr": "hors mission", "en": "outside the mission"},
    "general": {"fr": "Règle de l'art", "en": "Rule of the art"},
    "in_this_case": {"fr": "Dans ce dossier", "en": "In this case"},
    "rests_on": {"fr": "Pièces sur lesquelles il repose", "en": "Exhibits it rests on"},
    "no_exhibit_cited": {"fr": "aucune pièce citée au dossier", "en": "no exhibit cited in the file"},
    "flag_not_communicated": {
        "fr": "Attention\u202f: ce constat repose sur {numbers}, non communiquée(s) à toutes les parties (art. 16).",
        "en": "Caution: this finding rests on {numbers}, not communicated to every party (art. 16).",
    },
    "flag_unknown": {
        "fr": "La communication de {numbers} à toutes les parties n'est pas établie.",
        "en": "It is not established that {numbers} reached every party.",
    },
    "holds": {"fr": "Ce constat vaut quelle que soit la version retenue des faits contestés.", "en": "This finding holds whichever version of the contested facts is accepted."},
    "falls_under": {
        "fr": "Si la version de {party} sur {label} est retenue, ce constat tombe.",
        "en": "If the version of {party} on {label} is accepted, this finding falls.",
    },
    "falls_either_way": {
        "fr": "Ce constat ne tient que tant que ce point n'est pas tranché\u202f: {label}\u202f; quelle que soit la version retenue, il tombe.",
        "en": "This finding stands only while this point is unsettled: {label}; whichever version is accepted, it falls.",
    },
    "stands_under": {
        "fr": "Il est acquis si la version de {party} sur {label} est retenue.",
        "en": "It stands if the version of {party} on {label} is accepted.",
    },
    "rules_applied": {"fr": "Règles appliquées", "en": "Rules applied"},
    "no_findings": {"fr": "L'analyse n'a établi aucun constat.", "en": "The analysis established no finding."},
    # Established / doubts.
    "established": {"fr": "Points établis", "en": "Points established"},
    "established_intro": {
        "fr": "Constats qui ne dépendent d'aucun fait contesté entre les parties\u202f:",
        "en": "Findings that depend on no fact contested between the parties:",
    },
    "contested": {"fr": "Fait contesté", "en": "Contested fact"},
    "version_of": {"fr": "Version de {party}\u202f: {value}", "en": "The version of {party}: {value}"},
    "depends_on_it": {"fr": "Constats qui en dépendent", "en": "Findings that depend on it"},
    "none": {"fr": "aucun", "en": "none"},
    "only_under": {
        "fr": "Constat qui n'apparaît que si la version de {party} sur {label} est retenue\u202f: {title}",
        "en": "Finding that appears only if the version of {party} on {label} is accepted: {title}",
    },
    "combinations": {
        "fr": "{assessed} combinaison(s) de versions examinée(s) sur {total}.",
        "en": "{assessed} combination(s) of versions examined out of {total}.",
    },
    "combinations_cut": {
        "fr": "Le nombre de combinaisons dépasse {cap}\u202f: seules les {cap} premières ont été examinées.",
        "en": "There are more than {cap} combinations: only the first {cap} were examined.",
    },
    "doubts": {"fr": "Doutes non levés", "en": "Doubts not lifted"},
    "open_question": {"fr": "Point à établir", "en": "Point to establish"},
    "to_request": {"fr": "Pièce à demander", "en": "Document to request"},
    "no_doubts": {"fr": "Aucun doute ne subsiste sur les faits dont dépendent les constats.", "en": "No doubt remains on the facts the findings depend on."},
    # Remedies.
    "remedies_intro": {
        "fr": "Observations d'ordre technique, pour chaque constat\u202f; il appartient au juge d'en tirer les conséquences.",
        "en": "Technical observations, for each finding; it is for the court to draw the consequences.",
    },
    # Margin.
    "margin_levers": {"fr": "Leviers de marge prévus par le contrat", "en": "Margin levers the contract relies on"},
    "no_margin_levers": {"fr": "Le dossier n'indique pas comment le prestataire construit sa marge.", "en": "The file does not say how the provider builds its margin."},
    "lever_pooling": {"fr": "mutualisation des moyens", "en": "pooling of resources"},
    "lever_staff_reduction": {"fr": "réduction des effectifs", "en": "staff reduction"},
    "lever_tool_lock_in": {"fr": "dépendance aux outils du prestataire", "en": "lock-in to the provider's tools"},
    "lever_change_requests": {"fr": "facturation des évolutions", "en": "billing of change requests"},
    "lever_minimal_investment": {"fr": "investissement minimal", "en": "minimal investment"},
    "lever_end_assistance_billing": {"fr": "facturation de l'assistance en fin de contrat", "en": "billing of end-of-contract assistance"},
    "margin_findings": {"fr": "Constats qui s'y rapportent", "en": "Findings related to it"},
    # Dires.
    "dire": {"fr": "Dire", "en": "Dire"},
    "summary": {"fr": "Résumé", "en": "Summary"},
    "touches": {"fr": "Constats visés", "en": "Findings concerned"},
    "reply": {"fr": "Réponse de l'expert", "en": "Expert's reply"},
    "status": {"fr": "Suite", "en": "Status"},
    "recapped_by": {"fr": "repris par {dire}", "en": "restated in {dire}"},
    "abandoned": {"fr": "réputé abandonné (non repris, art. 276)", "en": "deemed abandoned (not restated, art. 276)"},
    "standing": {"fr": "dernier dire de la partie", "en": "the party's last dire"},
    "no_reply": {"fr": "réponse à venir", "en": "reply to come"},
    "no_dires": {"fr": "Aucun dire n'a été reçu.", "en": "No dire was received."},
    "dires_note": {
        "fr": "Un dire antérieur que le dernier dire de la même partie ne reprend pas est réputé abandonné (Code de procédure civile, art. 276).",
        "en": "An earlier dire that the same party's last dire does not restate is deemed abandoned (Code of Civil Procedure, art. 276).",
    },
    # Answers.
    "question": {"fr": "Question", "en": "Question"},
    "grievance": {"fr": "Grief", "en": "Grievance"},
    "answer_findings": {"fr": "Constats qui y répondent", "en": "Findings that answer it"},
    "no_answer": {
        "fr": "Aucun constat de l'analyse ne porte sur cette question\u202f; les faits utiles figurent dans la chronologie.",
        "en": "No finding of the analysis bears on this question; the relevant facts are in the chronology.",
    },
    "outside_list": {"fr": "Constats hors mission", "en": "Findings outside the mission"},
    "outside_intro": {
        "fr": "Ces constats ne répondent à aucune question de la mission\u202f; ils sont signalés pour l'information du juge.",
        "en": "These findings answer no question of the mission; they are reported for the court's information.",
    },
    "see_finding": {"fr": "constat n° {n}", "en": "finding no. {n}"},
    "not_a_finding": {"fr": "«\u202f{title}\u202f» (absent du dossier en l'état)", "en": "“{title}” (not a finding on the file as it stands)"},
    # Annexes.
    "graph_intro": {
        "fr": "Des pièces (à gauche) aux constats (à droite), en passant par les faits du dossier et les règles appliquées.",
        "en": "From the exhibits (left) to the findings (right), through the facts of the case and the rules applied.",
    },
    "rule": {"fr": "Règle", "en": "Rule"},
    "sources": {"fr": "Points du document de référence", "en": "Points of the reference document"},
    "in_force": {"fr": "En vigueur", "en": "In force"},
    "file": {"fr": "Fichier", "en": "File"},
    "library_version": {"fr": "Version du système expert", "en": "Expert system version"},
    "rulebook_digest": {"fr": "Empreinte de la base de règles (SHA-256)", "en": "Rulebook digest (SHA-256)"},
    "case_digest": {"fr": "Empreinte du dossier (SHA-256)", "en": "Case digest (SHA-256)"},
    "generated_by": {"fr": "Rapport produit par reversibility-kb", "en": "Report produced by reversibility-kb"},
    "mermaid_note": {
        "fr": "Graphe au format Mermaid, affiché comme un schéma par les visionneuses qui le prennent en charge.",
        "en": "Graph in Mermaid format, shown as a diagram by viewers that support it.",
    },
    "colon": {"fr": "\u202f:", "en": ":"},
}

#: The kinds of event of a contract's history, as a chronology names them.
EVENTS: dict[str, dict[str, str]] = {
    "signature": {"fr": "Signature du contrat", "en": "Contract signed"},
    "phase_start": {"fr": "Début de phase", "en": "Phase starts"},
    "phase_end": {"fr": "Fin de phase", "en": "Phase ends"},
    "delivered": {"fr": "Livraison", "en": "Delivery"},
    "accepted": {"fr": "Recette prononcée", "en": "Accepted"},
    "rejected": {"fr": "Recette refusée", "en": "Rejected"},
    "amendment": {"fr": "Avenant", "en": "Amendment"},
    "sla_revision": {"fr": "Révision des niveaux de service", "en": "Service levels revised"},
    "technology_change": {"fr": "Changement technique", "en": "Technology change"},
    "scope_change": {"fr": "Changement de périmètre", "en": "Scope change"},
    "organisation_change": {"fr": "Changement d'organisation", "en": "Organisation change"},
    "service_assessment": {"fr": "Appréciation du service", "en": "Service assessed"},
    "warning": {"fr": "Alerte écrite", "en": "Written warning"},
    "notice": {"fr": "Préavis", "en": "Notice"},
    "penalty": {"fr": "Pénalités appliquées", "en": "Penalties applied"},
    "payment_withheld": {"fr": "Paiements suspendus", "en": "Payments withheld"},
    "refusal": {"fr": "Refus", "en": "Refusal"},
    "staff_reduction": {"fr": "Réduction des effectifs", "en": "Staff reduced"},
    "restore_test": {"fr": "Test de restauration", "en": "Restore test"},
    "reversibility_plan_test": {"fr": "Test du plan de réversibilité", "en": "Reversibility plan test"},
    "reversibility_start": {"fr": "Début de la réversibilité", "en": "Reversibility starts"},
    "project_failed": {"fr": "Échec du projet", "en": "Project failed"},
    "obsolescence_claim": {"fr": "Obsolescence invoquée", "en": "Obsolescence argued"},
    "termination": {"fr": "Fin du contrat notifiée", "en": "Termination notified"},
    "dispute": {"fr": "Différend", "en": "Disagreement"},
    "liability_claim": {"fr": "Demande d'indemnisation", "en": "Claim for compensation"},
    "requalification_claim": {"fr": "Demande portant sur la nature du contrat", "en": "Claim about the nature of the contract"},
    "staff_returned": {"fr": "Personnel revenu chez le client", "en": "Staff returned to the client"},
    "staff_hired_back": {"fr": "Personnel réembauché par le client", "en": "Staff hired back by the client"},
    "staff_kept_by_successor": {"fr": "Personnel repris par le repreneur", "en": "Staff kept by the successor"},
    "staff_dismissed": {"fr": "Personnel licencié", "en": "Staff dismissed"},
    "ownership_transfer": {"fr": "Transfert de propriété", "en": "Ownership transferred"},
    "data_export": {"fr": "Export des données", "en": "Data export"},
    "data_loss": {"fr": "Perte de données", "en": "Data lost"},
    "incident": {"fr": "Incident", "en": "Incident"},
    "service_restored": {"fr": "Service rétabli", "en": "Service restored"},
    "migration_start": {"fr": "Début de la migration", "en": "Migration starts"},
    "migration_end": {"fr": "Fin de la migration", "en": "Migration ends"},
    "migration_abandoned": {"fr": "Migration abandonnée par le prestataire sortant", "en": "Migration left by the outgoing provider"},
    "transition_services": {"fr": "Service de transition", "en": "Transition services"},
    "insolvency": {"fr": "Insolvabilité", "en": "Insolvency"},
    "administration": {"fr": "Procédure collective", "en": "Insolvency proceedings"},
    "service_shutdown": {"fr": "Arrêt définitif du service", "en": "Service shut down"},
    "service_suspended": {"fr": "Service suspendu", "en": "Service suspended"},
    "payment_demanded": {"fr": "Paiement exigé", "en": "Payment demanded"},
    "fee_claimed": {"fr": "Indemnité de sortie réclamée", "en": "Exit fee claimed"},
    "term_extension": {"fr": "Prolongation de la durée", "en": "Term extended"},
    "accepted_with_reservations": {"fr": "Recette avec réserves", "en": "Accepted with reservations"},
    "formal_notice": {"fr": "Sommation écrite d'exécuter", "en": "Written demand to perform"},
    "court_order": {"fr": "Décision d'un juge", "en": "Court decision"},
    "expert_appointed": {"fr": "Désignation de l'expert", "en": "Expert appointed"},
    "judgment": {"fr": "Jugement", "en": "Judgment"},
    "arbitration": {"fr": "Sentence arbitrale", "en": "Arbitral award"},
    "settlement": {"fr": "Accord entre les parties", "en": "Settlement"},
    "release_of_claims": {"fr": "Renonciation à des réclamations", "en": "Release of claims"},
}


def word(key: str, lang: str) -> str:
    """One word or phrase of the court report in the given language."""
    return WORDS[key][lang]


def phrase(key: str, lang: str, **fields: Any) -> str:
    """A phrase with its ``{fields}`` filled in."""
    return WORDS[key][lang].format(**fields)


def event_word(kind: str, lang: str) -> str:
    """What a kind of event is called in a chronology."""
    return EVENTS[kind][lang]
