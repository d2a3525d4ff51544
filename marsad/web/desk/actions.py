"""Every desk action in one table: who may do it, the fields it takes, the words that confirm
it, and what it does. The pages (a form, a confirmation, the result) and the API (one body per
action) are both built from this table, so the two can never differ."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from marsad.arabic.normalize import display_form
from marsad.desk.accounts import ROLES, Role, hash_password, password_problem, valid_name
from marsad.desk.refusal import Refused
from marsad.desk.sessions import new_api_token
from marsad.desk.source_preview import desk_rules
from marsad.models import Source
from marsad.store import KINDS, Storage
from marsad.urls import web_url

MAX_ID = 2**31 - 1
MAX_TEXT = 500
MAX_PIN_HOURS = 24 * 30
KIND_WORDS = {"topic": "موضوع", "place": "مكان", "person": "شخص", "organisation": "مؤسسة"}
ROLE_WORDS = {"admin": "مدير", "editor": "محرر"}

FieldKind = Literal["id", "optional_id", "text", "optional_text", "hours", "kind", "role", "secret"]


@dataclass(frozen=True)
class Field:
    """One input of an action."""

    name: str
    label: str
    kind: FieldKind


@dataclass(frozen=True)
class Done:
    """What an action did, in words, with its audit entry (and a token to show once)."""

    message: str
    audit_id: int | None = None
    token: str | None = None
    next_page: str = "/desk"


Runner = Callable[[Storage, str, Mapping[str, Any], datetime], Done]


@dataclass(frozen=True)
class Action:
    """A desk action."""

    name: str
    role: Role
    label: str
    fields: tuple[Field, ...]
    confirm: str  # what will happen, with {field} places
    run: Runner


def parse_values(action: Action, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The action's values from a form or a body; a refusal naming the field at fault."""
    values: dict[str, Any] = {}
    for f in action.fields:
        given = raw.get(f.name)
        text = "" if given is None else str(given).strip()
        if f.kind in ("id", "optional_id"):
            if not text and f.kind == "optional_id":
                values[f.name] = None
                continue
            if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
                raise Refused(f"«{f.label}» رقم صحيح موجب", 422)
            values[f.name] = int(text)
        elif f.kind == "hours":
            if not text.isdigit() or int(text) > MAX_PIN_HOURS:
                raise Refused(f"«{f.label}» عدد ساعات بين 0 و{MAX_PIN_HOURS}", 422)
            values[f.name] = int(text)
        elif f.kind == "kind":
            if text not in KINDS:
                raise Refused(f"«{f.label}» واحد من: {'، '.join(KIND_WORDS.values())}", 422)
            values[f.name] = text
        elif f.kind == "role":
            if text not in ROLES:
                raise Refused(f"«{f.label}» مدير أو محرر", 422)
            values[f.name] = text
        elif f.kind == "secret":
            value = "" if given is None else str(given)
            problem = password_problem(value)
            if problem:
                raise Refused(problem, 422)
            values[f.name] = value
        else:
            if len(text) > MAX_TEXT or "\x00" in text:
                raise Refused(f"«{f.label}» أطول من {MAX_TEXT} حرف أو فيه محرف ممنوع", 422)
            if not text and f.kind == "text":
                raise Refused(f"«{f.label}» مطلوب", 422)
            values[f.name] = text
    return values


def _hide_article(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.hide_article(actor, v["article_id"], now)
    return Done(
        f"أُخفي المقال {v['article_id']} عن القرّاء.",
        entry,
        next_page=f"/desk/article/{v['article_id']}",
    )


def _restore_article(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.restore_article(actor, v["article_id"], now)
    return Done(
        f"عاد المقال {v['article_id']} ظاهرًا.", entry, next_page=f"/desk/article/{v['article_id']}"
    )


def _move_article(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry, story = store.move_article(actor, v["article_id"], v["story_id"], now)
    return Done(
        f"نُقل المقال {v['article_id']} إلى القصة {story}.", entry, next_page=f"/desk/story/{story}"
    )


def _hide_story(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.set_story_hidden(actor, v["story_id"], True, now)
    return Done(f"أُخفيت القصة {v['story_id']}.", entry, next_page=f"/desk/story/{v['story_id']}")


def _restore_story(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.set_story_hidden(actor, v["story_id"], False, now)
    return Done(
        f"عادت القصة {v['story_id']} ظاهرة.", entry, next_page=f"/desk/story/{v['story_id']}"
    )


def _retitle_story(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.retitle_story(actor, v["story_id"], v["title"], now)
    return Done(
        f"تغيّر عنوان القصة {v['story_id']}.", entry, next_page=f"/desk/story/{v['story_id']}"
    )


def _pin_story(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    hours = v["hours"]
    until = now + timedelta(hours=hours) if hours else None
    entry = store.pin_story(actor, v["story_id"], until, now)
    said = (
        f"ثُبّتت القصة {v['story_id']} أعلى الرئيسية {hours} ساعة."
        if hours
        else f"أُلغي تثبيت القصة {v['story_id']}."
    )
    return Done(said, entry, next_page=f"/desk/story/{v['story_id']}")


def _merge_stories(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.merge_stories(actor, v["story_id"], v["into_story_id"], now)
    return Done(
        f"دُمجت القصة {v['story_id']} في القصة {v['into_story_id']}.",
        entry,
        next_page=f"/desk/story/{v['into_story_id']}",
    )


def _ban_tag(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    return Done(
        f"حُظرت العبارة «{v['tag']}» وسمًا.",
        store.ban_tag(actor, v["tag"], now),
        next_page="/desk/tags",
    )


def _unban_tag(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    return Done(
        f"رُفع الحظر عن «{v['tag']}».", store.unban_tag(actor, v["tag"], now), next_page="/desk/tags"
    )


def _merge_tags(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.merge_tags(actor, v["tag"], v["into_tag"], now)
    return Done(f"دُمج الوسم «{v['tag']}» في «{v['into_tag']}».", entry, next_page="/desk/tags")


def _rename_tag(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.rename_tag(actor, v["tag"], v["display"], now)
    return Done(f"صار الوسم «{v['tag']}» يُعرض «{v['display']}».", entry, next_page="/desk/tags")


def _set_tag_kind(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.set_tag_kind(actor, v["tag"], v["kind"], now)
    return Done(
        f"صار نوع الوسم «{v['tag']}»: {KIND_WORDS[v['kind']]}.", entry, next_page="/desk/tags"
    )


def _pause_source(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.set_source_paused(actor, v["slug"], True, now)
    return Done(f"أُوقفت متابعة المصدر «{v['slug']}».", entry, next_page="/desk/sources")


def _resume_source(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.set_source_paused(actor, v["slug"], False, now)
    return Done(f"استُؤنفت متابعة المصدر «{v['slug']}».", entry, next_page="/desk/sources")


def _fetch_source(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.fetch_source_now(actor, v["slug"], now)
    return Done(f"سيُجلب المصدر «{v['slug']}» في الجولة التالية.", entry, next_page="/desk/sources")


SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
SLUG_RULE = "الاسم المختصر حروف لاتينية صغيرة وأرقام وشرطات (حتى 40)"


def _add_feed(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    """Follow a feed a script names by its address (the desk page finds and previews it)."""
    if not SLUG.fullmatch(v["slug"]):
        raise Refused(SLUG_RULE, 422)
    url = web_url(v["feed_url"])
    if url is None:
        raise Refused("عنوان الخلاصة ليس عنوان http أو https", 422)
    name = display_form(v["name"]) or v["slug"]
    source = Source(slug=v["slug"], name=name, feed_url=url, site_url=None)
    entry = store.add_desk_source(actor, source, now)
    return Done(
        f"أُضيف المصدر «{name}» ({v['slug']}) وستُتابَع خلاصته.", entry, next_page="/desk/sources"
    )


def save_source_rules(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    """Keep a source's extraction rules (`slug`, `body`, `title`, `drop` one a line; empty:
    back to the defaults), for the API's action and the desk's rules page alike."""
    rules = desk_rules(v["body"], v["drop"], v["title"])
    entry = store.set_source_rules(actor, v["slug"], rules, now)
    said = "حُفظت قواعد الاستخلاص" if rules else "عاد الاستخلاص إلى قواعده الافتراضية"
    return Done(
        f"{said} للمصدر «{v['slug']}»: تُطبَّق على صفحاته من الآن.",
        entry,
        next_page=f"/desk/sources/{v['slug']}/rules",
    )


def _remove_source(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    found = store.get_source(v["slug"])
    if found is None or not store.remove_source(v["slug"]):
        raise Refused(f"لا يوجد مصدر «{v['slug']}»", 404)
    entry = store.log_source_removal(actor, v["slug"], found.feed_url, now)
    return Done(
        f"أُزيل المصدر «{v['slug']}» (مقالاته المخزنة باقية).", entry, next_page="/desk/sources"
    )


def _undo(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    entry = store.audit_entry(v["entry_id"])
    if entry is None:
        raise Refused(f"لا يوجد إجراء برقم {v['entry_id']}", 404)
    if not entry.undoable:
        raise Refused("لا يمكن التراجع عن هذا الإجراء من السجل")
    target = entry.target.partition(":")[2]
    reverse: dict[str, Callable[[], int]] = {
        "hide_article": lambda: store.restore_article(actor, int(target), now),
        "restore_article": lambda: store.hide_article(actor, int(target), now),
        "move_article": lambda: _move_back(store, actor, entry.before, int(target), now),
        "hide_story": lambda: store.set_story_hidden(actor, int(target), False, now),
        "restore_story": lambda: store.set_story_hidden(actor, int(target), True, now),
        "retitle_story": lambda: store.retitle_story(
            actor, int(target), entry.before.get("editor_title") or "", now
        ),
        "pin_story": lambda: store.pin_story(actor, int(target), _pinned(entry.before, now), now),
        "merge_stories": lambda: store.unmerge_stories(actor, entry.id, now),
        "ban_tag": lambda: store.unban_tag(actor, target, now),
        "rename_tag": lambda: store.undo_rename_tag(actor, entry.id, now),
        "pause_source": lambda: store.set_source_paused(actor, target, False, now),
        "resume_source": lambda: store.set_source_paused(actor, target, True, now),
    }
    done = reverse[entry.action]()
    store.mark_audit_undone(entry.id, done)
    return Done(f"تُرُوجع عن الإجراء {entry.id}.", done, next_page="/desk/audit")


def _move_back(store: Storage, actor: str, before: Any, article_id: int, now: datetime) -> int:
    story = before.get("story_id") if isinstance(before, dict) else None
    if story is None:
        raise Refused("لم يكن المقال في قصة قبل النقل")
    entry, _ = store.move_article(actor, article_id, int(story), now)
    return entry


def _pinned(before: Any, now: datetime) -> datetime | None:
    until = before.get("pinned_until") if isinstance(before, dict) else None
    moment = datetime.fromisoformat(until) if until else None
    return moment if moment is not None and moment > now else None


def _add_user(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    if not valid_name(v["name"]):
        raise Refused("الاسم حروف لاتينية وأرقام و_ . - (63 على الأكثر)", 422)
    if store.add_user(v["name"], v["role"], hash_password(v["password"]), now) is None:
        raise Refused(f"الاسم «{v['name']}» مستخدم")
    entry = store.log_desk_action(
        actor, "add_user", f"user:{v['name']}", None, {"role": v["role"]}, now
    )
    return Done(
        f"أُضيف الحساب «{v['name']}» ({ROLE_WORDS[v['role']]}).", entry, next_page="/desk/users"
    )


def _remove_user(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    if v["name"] == actor:
        raise Refused("لا تحذف حسابك وأنت داخل به")
    found = store.get_user(v["name"])
    if found is None or not store.remove_user(v["name"]):
        raise Refused(f"لا يوجد حساب «{v['name']}»", 404)
    entry = store.log_desk_action(
        actor, "remove_user", f"user:{v['name']}", {"role": found.role}, None, now
    )
    return Done(f"حُذف الحساب «{v['name']}».", entry, next_page="/desk/users")


def _add_token(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    user = store.get_user(v["name"])
    if user is None:
        raise Refused(f"لا يوجد حساب «{v['name']}»", 404)
    token = new_api_token()
    token_id = store.add_token(user.id, v["label"] or "script", token, now)
    entry = store.log_desk_action(
        actor, "add_token", f"token:{token_id}", None, {"user": user.name, "label": v["label"]}, now
    )
    return Done(
        f"أُنشئ المفتاح {token_id} للحساب «{user.name}»: انسخه الآن، فلن يظهر مرة أخرى.",
        entry,
        token,
        "/desk/users",
    )


def _revoke_token(store: Storage, actor: str, v: Mapping[str, Any], now: datetime) -> Done:
    if not store.revoke_token(v["token_id"], now):
        raise Refused(f"لا يوجد مفتاح ساري برقم {v['token_id']}", 404)
    entry = store.log_desk_action(
        actor, "revoke_token", f"token:{v['token_id']}", {"revoked": False}, {"revoked": True}, now
    )
    return Done(f"أُلغي المفتاح {v['token_id']}.", entry, next_page="/desk/users")


ARTICLE = Field("article_id", "رقم المقال", "id")
STORY = Field("story_id", "رقم القصة", "id")
TAG = Field("tag", "الوسم", "text")
SOURCE = Field("slug", "المصدر", "text")

ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "hide_article",
            "editor",
            "إخفاء المقال",
            (ARTICLE,),
            "سيُخفى المقال {article_id} عن القرّاء: من قصته ووسومه والبحث، ولن يعود بإعادة الإثراء.",
            _hide_article,
        ),
        Action(
            "restore_article",
            "editor",
            "إظهار المقال",
            (ARTICLE,),
            "سيعود المقال {article_id} ظاهرًا في قصته ووسومه.",
            _restore_article,
        ),
        Action(
            "move_article",
            "editor",
            "نقل المقال",
            (ARTICLE, Field("story_id", "إلى القصة (فارغ: قصة جديدة)", "optional_id")),
            "سيُنقل المقال {article_id} إلى القصة {story_id} ويبقى فيها.",
            _move_article,
        ),
        Action(
            "hide_story",
            "editor",
            "إخفاء القصة",
            (STORY,),
            "ستُخفى القصة {story_id} من قوائم القصص.",
            _hide_story,
        ),
        Action(
            "restore_story",
            "editor",
            "إظهار القصة",
            (STORY,),
            "ستعود القصة {story_id} ظاهرة.",
            _restore_story,
        ),
        Action(
            "retitle_story",
            "editor",
            "تغيير العنوان",
            (STORY, Field("title", "العنوان الجديد (فارغ: عنوان الإثراء)", "optional_text")),
            "سيصير عنوان القصة {story_id}: «{title}».",
            _retitle_story,
        ),
        Action(
            "pin_story",
            "editor",
            "تثبيت القصة",
            (STORY, Field("hours", "عدد الساعات (0: إلغاء التثبيت)", "hours")),
            "ستُثبّت القصة {story_id} أعلى الرئيسية {hours} ساعة.",
            _pin_story,
        ),
        Action(
            "merge_stories",
            "editor",
            "دمج القصتين",
            (STORY, Field("into_story_id", "في القصة", "id")),
            "ستُدمج القصة {story_id} في القصة {into_story_id} وتبقى مدموجة.",
            _merge_stories,
        ),
        Action(
            "ban_tag",
            "editor",
            "حظر الوسم",
            (TAG,),
            "ستُحظر العبارة «{tag}»: تُنزع من كل المقالات ولا تصير وسمًا بعد اليوم.",
            _ban_tag,
        ),
        Action("unban_tag", "editor", "رفع الحظر", (TAG,), "سيُرفع الحظر عن «{tag}».", _unban_tag),
        Action(
            "merge_tags",
            "editor",
            "دمج الوسمين",
            (TAG, Field("into_tag", "في الوسم", "text")),
            "سيُدمج الوسم «{tag}» في «{into_tag}»: صيغة عرض واحدة، والصيغتان تجدانه.",
            _merge_tags,
        ),
        Action(
            "rename_tag",
            "editor",
            "تغيير صيغة العرض",
            (TAG, Field("display", "الصيغة الجديدة", "text")),
            "سيُعرض الوسم «{tag}» بصيغة «{display}».",
            _rename_tag,
        ),
        Action(
            "set_tag_kind",
            "editor",
            "تعيين النوع",
            (TAG, Field("kind", "النوع", "kind")),
            "سيصير نوع الوسم «{tag}»: {kind}.",
            _set_tag_kind,
        ),
        Action(
            "pause_source",
            "editor",
            "إيقاف المتابعة",
            (SOURCE,),
            "ستتوقف متابعة المصدر «{slug}».",
            _pause_source,
        ),
        Action(
            "resume_source",
            "editor",
            "استئناف المتابعة",
            (SOURCE,),
            "ستُستأنف متابعة المصدر «{slug}».",
            _resume_source,
        ),
        Action(
            "fetch_source",
            "editor",
            "اجلب الآن",
            (SOURCE,),
            "سيُجلب المصدر «{slug}» في الجولة التالية.",
            _fetch_source,
        ),
        Action(
            "add_feed",
            "editor",
            "متابعة خلاصة",
            (
                SOURCE,
                Field("name", "الاسم", "optional_text"),
                Field("feed_url", "عنوان الخلاصة", "text"),
            ),
            "ستُتابَع الخلاصة {feed_url} باسم «{slug}».",
            _add_feed,
        ),
        Action(
            "set_source_rules",
            "editor",
            "قواعد الاستخلاص",
            (
                SOURCE,
                Field("body", "محدد النص", "optional_text"),
                Field("title", "محدد العنوان", "optional_text"),
                Field("drop", "محددات الحذف (واحد في كل سطر)", "optional_text"),
            ),
            "ستُحفظ قواعد استخلاص المصدر «{slug}».",
            save_source_rules,
        ),
        Action(
            "remove_source",
            "admin",
            "إزالة المصدر",
            (SOURCE,),
            "سيُزال المصدر «{slug}» (تبقى مقالاته المخزنة).",
            _remove_source,
        ),
        Action(
            "undo",
            "editor",
            "تراجع",
            (Field("entry_id", "رقم الإجراء", "id"),),
            "سيُتراجع عن الإجراء {entry_id}.",
            _undo,
        ),
        Action(
            "add_user",
            "admin",
            "إضافة حساب",
            (
                Field("name", "الاسم", "text"),
                Field("role", "الدور", "role"),
                Field("password", "كلمة المرور", "secret"),
            ),
            "سيُضاف الحساب «{name}» بدور {role}.",
            _add_user,
        ),
        Action(
            "remove_user",
            "admin",
            "حذف الحساب",
            (Field("name", "الاسم", "text"),),
            "سيُحذف الحساب «{name}» مع جلساته ومفاتيحه.",
            _remove_user,
        ),
        Action(
            "add_token",
            "admin",
            "إنشاء مفتاح",
            (Field("name", "للحساب", "text"), Field("label", "الغرض", "optional_text")),
            "سيُنشأ مفتاح API للحساب «{name}».",
            _add_token,
        ),
        Action(
            "revoke_token",
            "admin",
            "إلغاء المفتاح",
            (Field("token_id", "رقم المفتاح", "id"),),
            "سيُلغى المفتاح {token_id} فلا يُقبل بعد الآن.",
            _revoke_token,
        ),
    )
}


def confirmation(action: Action, values: Mapping[str, Any]) -> str:
    """The words that say what the action will do, with its values (shown as text)."""
    shown = {
        k: (
            KIND_WORDS.get(v, v)
            if k == "kind"
            else ROLE_WORDS.get(v, v)
            if k == "role"
            else ("قصة جديدة" if v is None else v)
        )
        for k, v in values.items()
        if k != "password"
    }
    return action.confirm.format(**shown)
