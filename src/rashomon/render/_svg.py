"""The timeline of a story as inline SVG.

The time axis is piecewise: each gap between two days that hold a drawn instant gets a width growing
with the gap's length to the power 0.45 (time within a day is linear), and gaps longer than ~6 weeks are cut to a fixed width with an axis break
(≈), so that a 2019 precedent and the minutes of the event itself are both readable in one chart.
"""
from __future__ import annotations

import bisect
from datetime import datetime, timedelta
from html import escape

from rashomon.render import _timeml
from rashomon.render._model import StoryView

WIDTH = 960
GUTTER = 236
ROW_H = 34
POWER = 0.45
CAP_HOURS = 24 * 42.0
TICK_GAP = 62


def _e(text: str) -> str:
    return escape(text, quote=True)


def _trim(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _gap_label(hours: float) -> str:
    days = hours / 24
    if days >= 365 * 1.5:
        return f"{days / 365.25:.0f} yr"
    if days >= 60:
        return f"{days / 30.4:.0f} mo"
    return f"{days / 7:.0f} wk"


class _Scale:
    """Piecewise time → x mapping over the sorted instants that are drawn."""

    def __init__(self, instants: list[datetime], x0: float, x1: float) -> None:
        days = set()
        for t in instants:  # whole days between breakpoints: linear within a day, compressed across gaps
            d = datetime(t.year, t.month, t.day)
            days.add(d)
            if t != d:
                days.add(d + timedelta(days=1))
        pts = sorted(days)
        self.pts = pts
        weights, self.breaks = [], []
        for a, b in zip(pts, pts[1:]):
            hours = (b - a).total_seconds() / 3600
            if hours > CAP_HOURS:
                weights.append(CAP_HOURS ** POWER)
                self.breaks.append((len(weights) - 1, hours))
            else:
                weights.append(hours ** POWER)
        total = sum(weights) or 1.0
        xs, acc = [x0], 0.0
        for w in weights:
            acc += w
            xs.append(x0 + (x1 - x0) * acc / total)
        if len(pts) == 1:
            xs = [(x0 + x1) / 2]
        self.xs = xs

    def __call__(self, t: datetime) -> float:
        i = bisect.bisect_left(self.pts, t)
        if i < len(self.pts) and self.pts[i] == t:
            return self.xs[i]
        if i == 0:
            return self.xs[0]
        if i >= len(self.pts):
            return self.xs[-1]
        a, b = self.pts[i - 1], self.pts[i]
        f = (t - a).total_seconds() / max((b - a).total_seconds(), 1)
        return self.xs[i - 1] + f * (self.xs[i] - self.xs[i - 1])


def _tick_text(r: _timeml.TimeRange, prev_year: int | None) -> str:
    t = r.start
    if r.precision in ("year", "decade"):
        return r.label
    if r.precision in ("month", "quarter", "half", "season"):
        suffix = f" {t.year}"
        return r.label[: -len(suffix)] if t.year == prev_year and r.label.endswith(suffix) else r.label
    mon = _timeml.MONTHS[t.month - 1]
    return f"{t.day} {mon} {t.year}" if t.year != prev_year else f"{t.day} {mon}"


def timeline_svg(s: StoryView, compact: bool = False) -> tuple[str, str]:
    """The chart and its legend (HTML), or ``("", "")`` when no entry names a calendar time.

    ``compact`` draws for phones: labels above the bars instead of beside them.
    """
    rows = [t for t in s.timeline if t.range is not None]
    if not rows:
        return "", ""
    sid = f"s{s.index}"
    width, row_h = (420, 46) if compact else (WIDTH, ROW_H)
    pubs = [(a, _timeml.published(a.published_raw)) for a in s.articles]
    pubs = [(a, d) for a, d in pubs if d is not None]
    n_dots = min(max((len(t.articles) for t in rows), default=1), 8)
    x0 = 14 if compact else GUTTER + 14
    x1 = width - 16 - 13 * n_dots
    instants = [r.range.start for r in rows] + [r.range.end for r in rows] + [d for _, d in pubs]
    x = _Scale(instants, x0, x1)
    top = 8
    out: list[str] = []
    y = top
    if pubs:
        if compact:
            out.append(f"<text class=\"lbl\" x=\"8\" y=\"{y + 13}\">Published</text>")
            tri_y = y + 20
        else:
            out.append(f"<text class=\"lbl\" x=\"8\" y=\"{y + 15}\">Published</text>"
                       f"<text class=\"sub\" x=\"8\" y=\"{y + 29}\">each article</text>")
            tri_y = y + 9
        for a, d in pubs:
            px = x(d)
            out.append(f"<path class=\"pub c{a.index % 8}\" d=\"M{px - 6:.1f} {tri_y} L{px + 6:.1f} {tri_y} "
                       f"L{px:.1f} {tri_y + 11} Z\"><title>{_e(a.outlet)}, published {_e(a.published)}</title></path>")
        y += row_h
    grid_top = y
    for i, t in enumerate(rows):
        r = t.range
        key = f"{sid}t{t.index}"
        title = _e(f"{r.label}: {t.what}" if t.what else r.label)
        out.append(f"<g class=\"row\" data-k=\"{key}\"><title>{title}</title>"
                   f"<rect class=\"rowbg{' odd' if i % 2 else ''}\" x=\"0\" y=\"{y + 1}\" width=\"{width}\" "
                   f"height=\"{row_h - 2}\" rx=\"3\"/>")
        if compact:
            mid = y + 32
            rest = max(10, 46 - len(r.label))
            out.append(f"<text class=\"lbl\" x=\"8\" y=\"{y + 15}\">{_e(r.label)}"
                       f"<tspan class=\"sub\"> · {_e(_trim(t.what, rest))}</tspan></text>")
        else:
            mid = y + row_h / 2
            out.append(f"<text class=\"lbl\" x=\"8\" y=\"{mid - 2:.0f}\">{_e(_trim(r.label, 32))}</text>"
                       f"<text class=\"sub\" x=\"8\" y=\"{mid + 12:.0f}\">{_e(_trim(t.what, 36))}</text>")
        xa, xb = x(r.start), x(r.end)
        if r.point:
            out.append(f"<path class=\"pt\" d=\"M{xa:.1f} {mid - 7:.1f} L{xa + 7:.1f} {mid:.1f} L{xa:.1f} {mid + 7:.1f} "
                       f"L{xa - 7:.1f} {mid:.1f} Z\"/>")
            end = xa + 7
        else:
            w = max(xb - xa, 5)
            cls = "bar-coarse" if r.coarse else "bar-day"
            out.append(f"<rect class=\"{cls}\" x=\"{xa:.1f}\" y=\"{mid - 6:.1f}\" width=\"{w:.1f}\" height=\"12\" rx=\"2\"/>")
            end = xa + w
        for j, aid in enumerate(t.articles[:8]):
            a = s.article(aid)
            cls = f"c{a.index % 8}" if a else "c6"
            out.append(f"<circle class=\"{cls}\" cx=\"{end + 9 + 13 * j:.1f}\" cy=\"{mid:.1f}\" r=\"5\">"
                       f"<title>{_e(s.outlet(aid))}</title></circle>")
        out.append("</g>")
        y += row_h
    axis_y = y + 6
    # grid lines and tick labels at the starts of the drawn ranges, skipping labels that would collide
    ticks, last_x, prev_year = [], -1e9, None
    for t in sorted(rows, key=lambda t: t.range.start):
        px = x(t.range.start)
        if px - last_x < TICK_GAP:
            continue
        ticks.append((px, _tick_text(t.range, prev_year)))
        last_x, prev_year = px, t.range.start.year
    grid = "".join(f"<line class=\"grid\" x1=\"{px:.1f}\" y1=\"{grid_top}\" x2=\"{px:.1f}\" y2=\"{axis_y}\"/>"
                   for px, _ in ticks)
    axis = [f"<line class=\"axis\" x1=\"{x0 - 6}\" y1=\"{axis_y}\" x2=\"{x1 + 6}\" y2=\"{axis_y}\"/>"]
    for px, label in ticks:
        anchor = "start" if px - 30 < 4 else "end" if px + 30 > width - 4 else "middle"
        tx = px - 4 if anchor == "start" else px + 4 if anchor == "end" else px
        axis.append(f"<line class=\"axis\" x1=\"{px:.1f}\" y1=\"{axis_y}\" x2=\"{px:.1f}\" y2=\"{axis_y + 5}\"/>"
                    f"<text class=\"tick\" x=\"{tx:.1f}\" y=\"{axis_y + 18}\" text-anchor=\"{anchor}\">{_e(label)}</text>")
    for i, hours in x.breaks:
        bx = (x.xs[i] + x.xs[i + 1]) / 2
        axis.append(f"<rect class=\"brk\" x=\"{bx - 5:.1f}\" y=\"{axis_y - 6}\" width=\"10\" height=\"12\" stroke=\"none\"/>"
                    f"<path class=\"brk\" d=\"M{bx - 6:.1f} {axis_y + 5} L{bx - 2:.1f} {axis_y - 5} M{bx + 2:.1f} {axis_y + 5} "
                    f"L{bx + 6:.1f} {axis_y - 5}\"/>"
                    f"<text class=\"tick\" x=\"{bx:.1f}\" y=\"{axis_y + 32}\" text-anchor=\"middle\">≈ {_gap_label(hours)}</text>")
    height = axis_y + 40
    first, last = rows[0].range, max(rows, key=lambda t: t.range.end).range
    desc = f"{len(rows)} dated entries from {first.label} to {last.label}."
    tid = f"{sid}-tl{'n' if compact else ''}"
    svg = (f"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{tid}-t {tid}-d\" "
           f"xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{tid}-t\">Timeline</title>"
           f"<desc id=\"{tid}-d\">{_e(desc)} The table below lists every entry.</desc>"
           + grid + "".join(out) + "".join(axis) + "</svg>")
    legend = ("<div class=\"legend\">"
              "<span class=\"key\"><svg class=\"sample\" width=\"22\" height=\"12\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\" "
              "width=\"20\" height=\"10\" rx=\"2\" fill=\"#3b4a5a\"/></svg>a day or part of a day</span>"
              "<span class=\"key\"><svg class=\"sample\" width=\"22\" height=\"12\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\" "
              "width=\"20\" height=\"10\" rx=\"2\" fill=\"#dbe3ec\" stroke=\"#6e8196\"/></svg>a coarse date: week, month, "
              "year (its whole range)</span>"
              "<span class=\"key\"><svg class=\"sample\" width=\"14\" height=\"14\" aria-hidden=\"true\"><path d=\"M7 1 L13 7 "
              "L7 13 L1 7 Z\" fill=\"#1c2228\"/></svg>a clock time</span>"
              + ("<span class=\"key\"><svg class=\"sample\" width=\"14\" height=\"12\" aria-hidden=\"true\"><path d=\"M1 1 L13 1 "
                 "L7 11 Z\" fill=\"#56606b\"/></svg>publication</span>" if pubs else "")
              + "".join(f"<span class=\"key\"><span class=\"sw o{a.index % 8}\" aria-hidden=\"true\"></span>"
                        f"{_e(a.outlet)}</span>" for a in s.articles)
              + "</div>")
    return svg, legend
