# Report versions will be listed here with the reports issue.
