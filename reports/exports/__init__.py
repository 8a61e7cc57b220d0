"""Excel and Word files of a frozen report, drawn from reports.documents."""
