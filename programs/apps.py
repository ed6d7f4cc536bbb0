import gc

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"
    verbose_name = _("사업설명서")

    def ready(self) -> None:
        from . import page_cache
        from .models import Department, Program
        from .planner import refresh_statistics
        from .roles import sync_roles

        # A change page builds ~100,000 objects tied in cycles (forms, fields, widgets): at
        # Python's default threshold (700) the collector ran many times a request and made a
        # full pass over every object of the process every few. Measured at 5,000 x 5 on
        # SQLite, 400 requests (sample 000's change page between the overview, the list and
        # the admin's list): 16.2 s → 14.1 s, 36 full passes → 2, 9 MB more memory.
        gc.set_threshold(20_000, 10, 10)

        # django-axes names its app nothing (the admin shows "Axes"); its models' names are
        # translated in locale/ko.
        apps.get_app_config("axes").verbose_name = _("로그인 기록")
        # Nor has django-tasks-db (its queue of background jobs) Korean for its name.
        apps.get_app_config("django_tasks_database").verbose_name = _("백그라운드 작업")
        # After `migrate`, and after `flush` (as tests that commit do): the role groups are
        # data, and flush empties every table.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="programs.sync_roles")
        # After every deployment's `migrate`, so that the planner knows the tables' sizes.
        post_migrate.connect(
            refresh_statistics, sender=self, dispatch_uid="programs.refresh_statistics"
        )
        # Pages show programs' and departments' names: a rename or a move is a new version.
        for model in (Program, Department):
            for signal in (post_save, post_delete):
                signal.connect(page_cache.changed, sender=model, dispatch_uid="programs.page_cache")
