# Report models arrive with the reports issue.
