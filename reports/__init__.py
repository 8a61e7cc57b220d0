"""The Standing Committee's view: the live dashboard, reports frozen "as of" a date, and their
Excel and Word exports. Every figure starts from `workflow.selectors.cases_visible_to`."""
