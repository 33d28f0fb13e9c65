"""The words of the expert's report and of the reasoning graph, in both languages.

Kept apart from :mod:`reversibility_kb.case.i18n` (the words of the command line): a report is a
longer document with its own vocabulary. Every key has a French and an English entry; the test
suite checks it.
"""

from __future__ import annotations

import datetime

WORDS: dict[str, dict[str, str]] = {
    # Report: heading and identification.
    "report_kind": {"fr": "Rapport d'expertise — réversibilité de l'infogérance", "en": "Expert's report — reversibility of IT outsourcing"},
    "identification": {"fr": "Identification", "en": "Identification"},
    "case_id": {"fr": "Référence du dossier", "en": "Case reference"},
    "as_of": {"fr": "Situation au", "en": "As of"},
    "library_version": {"fr": "Version du système expert", "en": "Expert system version"},
    "rulebook_digest": {"fr": "Empreinte de la base de règles (SHA-256)", "en": "Rulebook digest (SHA-256)"},
    "case_digest": {"fr": "Empreinte du dossier (SHA-256)", "en": "Case digest (SHA-256)"},
    "digest_note": {
        "fr": "Les empreintes permettent de vérifier que ce rapport a été produit à partir de ce dossier et de ces règles, sans modification.",
        "en": "The digests make it possible to check that this report was produced from this case file and these rules, unaltered.",
    },
    "narrative": {"fr": "Exposé des faits", "en": "Statement of facts"},
    # Summary.
    "summary": {"fr": "Synthèse", "en": "Summary"},
    "severity_table": {"fr": "Répartition des constats par gravité", "en": "Findings by severity"},
    "severity": {"fr": "Gravité", "en": "Severity"},
    "count": {"fr": "Nombre", "en": "Number"},
    "total": {"fr": "Total", "en": "Total"},
    "findings_count": {"fr": "Nombre de constats", "en": "Number of findings"},
    "high": {"fr": "élevée", "en": "high"},
    "medium": {"fr": "moyenne", "en": "medium"},
    "low": {"fr": "faible", "en": "low"},
    "info": {"fr": "information", "en": "information"},
    # Findings.
    "findings": {"fr": "Constats, par thème du document de référence", "en": "Findings, by theme of the reference document"},
    "no_findings": {"fr": "Aucun constat n'a été établi pour ce dossier.", "en": "No finding was established for this case."},
    "theme": {"fr": "Thème", "en": "Theme"},
    "finding": {"fr": "Constat", "en": "Finding"},
    "reference": {"fr": "Référence", "en": "Reference"},
    "rationale": {"fr": "Motifs", "en": "Grounds"},
    "recommendation": {"fr": "Recommandation", "en": "Recommendation"},
    "sources": {"fr": "Points du document de référence", "en": "Points of the reference document"},
    "rules": {"fr": "Règles appliquées", "en": "Rules applied"},
    "practices": {"fr": "Règles de l'art méconnues", "en": "Rules of the art breached"},
    "no_practices": {"fr": "Aucune règle de l'art particulière n'est en cause.", "en": "No particular rule of the art is at stake."},
    "evidence": {"fr": "Pièce à demander", "en": "Evidence to request"},
    # Recommendations.
    "recommendations": {"fr": "Récapitulatif des recommandations", "en": "Summary of recommendations"},
    "no_recommendations": {"fr": "Aucune recommandation.", "en": "No recommendation."},
    # Investigation checklist.
    "checklist": {"fr": "Liste des diligences d'instruction", "en": "Investigation checklist"},
    "checklist_intro": {
        "fr": "Points restant à établir, dans l'ordre où il est proposé de les instruire, avec la pièce à demander pour chacun.",
        "en": "Points still to be established, in the order in which it is proposed to investigate them, with the document to request for each.",
    },
    "checklist_empty": {
        "fr": "Il ne reste aucun point à établir : les faits connus suffisent aux constats ci-dessus.",
        "en": "There is nothing left to establish: the known facts suffice for the findings above.",
    },
    "number": {"fr": "N°", "en": "No."},
    "question": {"fr": "Question", "en": "Question"},
    "document": {"fr": "Pièce à demander", "en": "Document to request"},
    "weight": {"fr": "Poids", "en": "Weight"},
    "holder": {"fr": "Détient la réponse", "en": "Holds the answer"},
    # Graph.
    "graph": {"fr": "Graphe du raisonnement", "en": "Reasoning graph"},
    "graph_intro": {
        "fr": "Chaque constat se rattache, par les règles appliquées, aux faits du dossier dont il découle. Les faits sont à gauche, les conclusions à droite ; les constats sont encadrés selon leur gravité.",
        "en": "Each finding is linked, through the rules applied, to the facts of the case it follows from. Facts are on the left, conclusions on the right; findings are outlined according to their severity.",
    },
    "graph_title": {"fr": "Faits → règles appliquées → conclusions", "en": "Facts → rules applied → conclusions"},
    "graph_fact": {"fr": "fait du dossier", "en": "fact of the case"},
    "graph_unused": {"fr": "fait non utilisé", "en": "unused fact"},
    "graph_firing": {"fr": "règle appliquée", "en": "rule applied"},
    "graph_conclusion": {"fr": "conclusion intermédiaire", "en": "intermediate conclusion"},
    "graph_finding": {"fr": "constat", "en": "finding"},
    "graph_empty": {"fr": "(graphe vide)", "en": "(empty graph)"},
    # Punctuation: French puts a space before a colon.
    "colon": {"fr": " :", "en": ":"},
    # Findings on many items.
    "items_count": {"fr": "Éléments concernés", "en": "Items concerned"},
    "items_more": {"fr": "et {n} autres (liste complète en annexe)", "en": "and {n} more (full list in the annex)"},
    "annex_items": {"fr": "Annexe — éléments concernés par chaque constat", "en": "Annex — the items each finding concerns"},
    # Footer.
    "generated_by": {"fr": "Rapport produit par reversibility-kb", "en": "Report produced by reversibility-kb"},
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "annex_mermaid": {
        "fr": "Le graphe ci-dessous est au format Mermaid ; il s'affiche comme un schéma dans les visionneuses Markdown qui le prennent en charge.",
        "en": "The graph below is in Mermaid format; Markdown viewers that support it display it as a diagram.",
    },
}

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
}


def word(key: str, lang: str) -> str:
    """One word or phrase of the report in the given language."""
    return WORDS[key][lang]


def long_date(date: datetime.date, lang: str) -> str:
    """A date written out as a court document would (``1er mars 1999``, ``1 March 1999``)."""
    day = "1er" if lang == "fr" and date.day == 1 else str(date.day)
    return f"{day} {_MONTHS[lang][date.month - 1]} {date.year}"
