"""The expert's reasoning tools on an assessment: why and why not, what if, the questions to ask,
the parties' positions, golden answers, rule coverage, review, portfolios."""
