"""Excel and Word files of a frozen report, drawn from workflow.reports.documents."""
