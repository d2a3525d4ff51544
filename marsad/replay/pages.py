"""What the replay publisher serves: article pages with real-looking furniture, RSS 2.0, OPML.

Each source gets one of a few page styles (chosen from its slug), so that the extractor meets
several layouts and date formats, as it does on real sites: meta tags or none, Gregorian dates
beside Hijri ones, Levantine month names, Eastern Arabic digits.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape

from marsad.models import RawArticle

MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر")  # fmt: skip
LEVANTINE = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
             "تشرين الأول", "تشرين الثاني", "كانون الأول")  # fmt: skip
HIJRI = ("محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة", "رجب",
         "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")  # fmt: skip
WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SECTIONS = ("الرئيسية", "محليات", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "رأي")
STYLES = 4


@dataclass(frozen=True)
class PageArticle:
    """An article as the replay site publishes it: its place on the site and its record."""

    source: str
    number: int
    raw: RawArticle

    @property
    def path(self) -> str:
        """The article page's path on the replay site."""
        return f"/{self.source}/{self.number}.html"


def style_of(source: str) -> int:
    """The page style of a source: stable, spread over the styles."""
    return zlib.crc32(source.encode()) % STYLES


def date_line(moment: datetime, style: int) -> str:
    """The publish time as this style's site writes it on the page."""
    day, month, year = moment.day, moment.month, moment.year
    clock = moment.strftime("%H:%M")
    weekday = WEEKDAYS[moment.weekday()]
    if style == 0:
        hijri = _hijri(moment)
        return f"{weekday} {hijri} هـ - {day} {MONTHS[month - 1]} {year} م | {clock} GMT+00:00"
    if style == 1:
        return f"{weekday}، {day} {LEVANTINE[month - 1]}/{MONTHS[month - 1]} {year}، آخر تحديث {clock} (GMT+0000)"
    if style == 2:
        return f"نشر في {day} {MONTHS[month - 1]} {year} الساعة {clock} GMT".translate(EASTERN)
    return f"{year}/{month:02d}/{day:02d} {clock} GMT"


def _hijri(moment: datetime) -> str:
    """The tabular Hijri date of a Gregorian day, as `5 شوال 1436`."""
    jdn = moment.toordinal() + 1721425
    cycle_day = jdn - 1948440 + 10632
    n = (cycle_day - 1) // 10631
    cycle_day = cycle_day - 10631 * n + 354
    j = ((10985 - cycle_day) // 5316) * ((50 * cycle_day) // 17719) + (cycle_day // 5670) * (
        (43 * cycle_day) // 15238
    )
    cycle_day = (
        cycle_day - ((30 - j) // 15) * ((17719 * j) // 50) - (j // 16) * ((15238 * j) // 43) + 29
    )
    month = (24 * cycle_day) // 709
    day = cycle_day - (709 * month) // 24
    year = 30 * n + j - 30
    return f"{day} {HIJRI[month - 1]} {year}"


def article_page(
    article: PageArticle,
    site_name: str,
    others: Sequence[PageArticle],
    *,
    charset: str = "utf-8",
    empty: bool = False,
) -> str:
    """An article page: navigation, headline, byline, body with a "read also" box, furniture."""
    raw, style = article.raw, style_of(article.source)
    paragraphs = [p.strip() for p in raw.text.split("\n") if p.strip()]
    body = [f"<p>{escape(p)}</p>" for p in paragraphs] if not empty else []
    if raw.author and body:
        body.insert(0, f'<p class="byline-repeat">{escape(raw.author)}</p>')
    if others:
        body.insert(min(3, len(body)), _read_also(others[0], style))
    when = date_line(raw.published_at, style) if raw.published_at else ""
    meta = ""
    if raw.published_at and style in (0, 3):
        meta = f'<meta property="article:published_time" content="{raw.published_at.isoformat()}">'
    author_meta = f'<meta name="author" content="{escape(raw.author)}">' if raw.author else ""
    image_meta, figure = _picture(article, style)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="{charset}">
<title>{escape(raw.title)} | {escape(site_name)}</title>
<link rel="canonical" href="{escape(raw.url)}">
<link rel="alternate" type="application/rss+xml" title="{escape(site_name)}" href="/{article.source}/feed.xml">
<meta property="og:title" content="{escape(raw.title)}">
<meta property="og:site_name" content="{escape(site_name)}">
{meta}{author_meta}{image_meta}
</head><body>
{_header(article.source, site_name)}
<main class="content"><article class="post">
<h1 class="post-title">{escape(raw.title)}</h1>
<div class="post-meta"><span class="author">{escape(raw.author or "")}</span>
<span class="post-date">{escape(when)}</span></div>
{_share()}
{figure}<div class="post-body">
{chr(10).join(body)}
</div>
{_tags(raw.title)}
{_related(others[1:], style)}
{_share()}
<div class="comments-note"><p>التعليقات المنشورة تعبر عن آراء أصحابها ولا تعبر بالضرورة عن رأي {escape(site_name)}. يرجى الالتزام بآداب الحوار وسياسة الخصوصية.</p>
<h3>أضف تعليقك</h3><form><textarea name="comment"></textarea><button>إرسال</button></form></div>
</article>
<aside class="sidebar"><h3>الأكثر قراءة</h3><ul>{_links(others[:5])}</ul></aside>
</main>
<footer><p>جميع الحقوق محفوظة © {escape(site_name)} 2015</p><ul><li><a href="/{article.source}/">من نحن</a></li><li><a href="/{article.source}/">اتصل بنا</a></li><li><a href="/{article.source}/">سياسة الخصوصية</a></li></ul></footer>
</body></html>
"""


def _picture(article: PageArticle, style: int) -> tuple[str, str]:
    """The page's lead image as the site marks it (og:image, twitter:image or a figure in
    the body, each with a relative address), or none at all."""
    path = f"/{article.source}/{article.number}.png"
    alt = escape(article.raw.title)
    if style == 0:
        return f'<meta property="og:image" content="{path}">', ""
    if style == 1:
        return f'<meta name="twitter:image" content="{path}">', ""
    if style == 2:
        figure = f'<figure class="lead"><img src="{path}" alt="{alt}"></figure>\n'
        return "", figure
    return "", ""


def _header(source: str, site_name: str) -> str:
    """The site's header and navigation bar."""
    items = "".join(f'<li><a href="/{source}/">{s}</a></li>' for s in SECTIONS)
    return (
        f'<header><div class="logo"><a href="/{source}/">{escape(site_name)}</a></div>'
        f'<nav class="main-nav"><ul>{items}</ul></nav></header>'
    )


def _share() -> str:
    """A row of share buttons."""
    buttons = ("فيسبوك", "تويتر", "واتساب", "تيليجرام", "طباعة")
    links = " ".join(f'<a class="share-{i}" href="#">{b}</a>' for i, b in enumerate(buttons))
    return f'<div class="share-buttons"><span>شارك:</span> {links}</div>'


def _read_also(other: PageArticle, style: int) -> str:
    """A "read also" box with a linked headline and a teaser, as sites put inside the body."""
    teaser = " ".join(other.raw.text.split()[:25])
    marker = "اقرأ أيضا:" if style % 2 == 0 else "إقرأ أيضاً:"
    if style == 3:
        return (
            f'<p><strong>{marker}</strong> <a href="{other.path}">{escape(other.raw.title)}</a></p>'
        )
    return (
        f'<aside class="read-also"><strong>{marker}</strong> '
        f'<a href="{other.path}">{escape(other.raw.title)}</a><p>{escape(teaser)}…</p></aside>'
    )


def _tags(title: str) -> str:
    """A "كلمات دلالية" list made of the headline's longer words, as CMSs do."""
    words = [w for w in title.split() if len(w) > 4][:5]
    links = " ".join(f'<a href="#" rel="tag">{escape(w)}</a>' for w in words)
    return f'<div class="post-tags"><span>كلمات دلالية:</span> {links}</div>'


def _related(others: Sequence[PageArticle], style: int) -> str:
    """The "مقالات مشابهة" list."""
    heading = "مقالات مشابهة" if style != 2 else "أخبار ذات صلة"
    return f'<section class="related"><h3>{heading}</h3><ul>{_links(others[:8])}</ul></section>'


def _links(others: Sequence[PageArticle]) -> str:
    """List items linking to other articles."""
    return "".join(f'<li><a href="{a.path}">{escape(a.raw.title)}</a></li>' for a in others)


def home_page(source: str, site_name: str, latest: Sequence[PageArticle]) -> str:
    """A source's home page: it advertises the feed with `<link rel="alternate">`."""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{escape(site_name)}</title>
<link rel="alternate" type="application/rss+xml" title="{escape(site_name)}" href="/{source}/feed.xml">
</head><body>{_header(source, site_name)}<main><ul>{_links(latest[:30])}</ul></main></body></html>
"""


def rss_feed(
    source: str, site_name: str, base: str, items: Sequence[PageArticle], full: bool = False
) -> str:
    """An RSS 2.0 feed of the items, newest first."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(site_name)}</title><link>{base}/{source}/</link>",
        f"<description>{escape(site_name)}</description><language>ar</language>",
    ]
    for item in items:
        raw = item.raw
        summary = " ".join(raw.text.split()[:40])
        parts = [
            f"<item><title>{escape(raw.title)}</title><link>{base}{item.path}</link>",
            f'<guid isPermaLink="true">{escape(raw.url)}</guid>',
            f"<description>{escape(summary)}</description>",
        ]
        if raw.published_at:
            parts.append(f"<pubDate>{format_datetime(raw.published_at)}</pubDate>")
        if raw.author:
            parts.append(f"<dc:creator>{escape(raw.author)}</dc:creator>")
        if full:
            html = "".join(f"<p>{escape(p)}</p>" for p in raw.text.split("\n") if p.strip())
            parts.append(f"<content:encoded>{escape(html)}</content:encoded>")
        out.append("".join(parts) + "</item>")
    out.append("</channel></rss>")
    return "\n".join(out) + "\n"


def challenge_page() -> str:
    """What an anti-bot service answers instead of the page."""
    return (
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
        '<div id="cf-challenge-running">Checking your browser before accessing the site.</div>'
        '<form id="challenge-form" action="/cdn-cgi/l/chk_captcha"></form></body></html>'
    )
