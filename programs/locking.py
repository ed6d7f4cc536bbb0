"""No lost updates: a save based on an older version of a year is refused (optimistic locking).

The admin form carries the version of the year it was read at. When it is saved, the year's
row is locked until the save commits and its version compared: another save in between (an
admin save, an import, a restore) has raised it, and then nothing is saved; the form comes
back with what was typed and the message says who changed what in between.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .history import changes, latest_document
from .models import ProgramYear


@dataclass
class Conflict:
    read_version: int
    current_version: int
    lines: list[str] = field(default_factory=list)


def check_version(pk: int, version: int | None) -> Conflict | None:
    """None when `version` is still the year's; else the conflict, described. Call it in the
    transaction that saves: the row stays locked until that commits (PostgreSQL; SQLite
    transactions here take the write lock when they begin)."""
    current = (
        ProgramYear.objects.select_for_update()
        .filter(pk=pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None or version == current:
        return None
    conflict = Conflict(version or 0, current)
    conflict.lines.append(
        _(
            "다른 사용자가 이 사업설명서를 먼저 저장해서 저장하지 않았습니다"
            " (연 버전 %(read)s, 지금 버전 %(current)s). 입력하신 내용은 아래에 그대로 있습니다."
        )
        % {"read": conflict.read_version, "current": current}
    )
    records = (
        ProgramYear.revisions.filter(id=pk, version__gt=conflict.read_version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
        who = record.history_user.get_username() if record.history_user else _("(사용자 없음)")
        reason = f" ({record.history_change_reason})" if record.history_change_reason else ""
        conflict.lines.append(
            _("%(when)s %(who)s 님이 저장함, 버전 %(version)s%(reason)s")
            % {"when": when, "who": who, "version": record.version, "reason": reason}
        )
    read = (
        ProgramYear.revisions.filter(id=pk, version=conflict.read_version)
        .order_by("-history_date", "-history_id")
        .values_list("document", flat=True)
        .first()
    )
    latest = latest_document(pk)
    if read is not None and latest is not None:
        found = changes(read, latest)
        conflict.lines.append(_("먼저 저장된 변경 %(count)s건:") % {"count": len(found)})
        conflict.lines += [str(change) for change in found]
    conflict.lines.append(
        _(
            "먼저 저장된 변경을 확인하고, 필요하면 입력 내용에 반영한 뒤 다시 저장하십시오."
            " 다시 저장하면 지금 버전 위에 저장됩니다."
        )
    )
    return conflict
