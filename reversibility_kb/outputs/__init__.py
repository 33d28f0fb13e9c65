"""What an assessment becomes for a reader: listings, the expert's and the court's reports, notes,
documents, graphs and pictures (templates in ``templates/``)."""
