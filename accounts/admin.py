# Users and groups are managed with Django's own admin (django.contrib.auth.admin).
