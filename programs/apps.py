from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"

    def ready(self) -> None:
        from .planner import refresh_statistics
        from .roles import sync_roles

        # After `migrate`, and after `flush` (as tests that commit do): the role groups are
        # data, and flush empties every table.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="programs.sync_roles")
        # After every deployment's `migrate`, so that the planner knows the tables' sizes.
        post_migrate.connect(
            refresh_statistics, sender=self, dispatch_uid="programs.refresh_statistics"
        )
