"""Reports on evaluations: the overview tables now; HTML, PDF and DOCX reports to come."""
