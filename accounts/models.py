# Accounts use Django's User and Group models: roles are groups (see roles.py) and the link of a
# focal point to its institution lives beside Institution, in cooperations.models.FocalPoint.
