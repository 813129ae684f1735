//! A chart of lines over days as plotters draws it, whatever the backend (the page's canvas,
//! the SVG export): the Secure Score trend, the open eDiscovery cases. Lines with gaps, dashed
//! levels (planned, achievable), zone bands, axes and a legend. The layout is plain arithmetic on pixels, so the hover read-out maps a pointer to a
//! day with the same numbers the drawing used. No float is ever formatted: labels are integers.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use vigil_core::models::DateTime;

pub type Rgb = (u8, u8, u8);

pub const SCORE: Rgb = (37, 99, 235);
pub const PLANNED: Rgb = (21, 112, 239);
pub const ACHIEVABLE: Rgb = (6, 118, 71);
pub const TEXT: Rgb = (71, 84, 103);
const GRID: Rgb = (228, 231, 236);
pub const AXIS: Rgb = (152, 162, 179);
const POOR: Rgb = (254, 228, 226);
const FAIR: Rgb = (254, 240, 199);
const GOOD: Rgb = (220, 250, 230);

/// The colours of the other lines, in order (comparatives, then tenants).
pub const PALETTE: [Rgb; 6] = [
    (122, 90, 248),
    (247, 144, 9),
    (18, 183, 106),
    (221, 37, 112),
    (14, 147, 132),
    (102, 112, 133),
];

/// One line: a value per day (`None` = gap, never drawn as zero).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub color: Rgb,
    pub points: Vec<Option<f64>>,
    /// The main line: thicker, with a dot per day in short windows.
    pub main: bool,
}

/// A horizontal dashed level across the plot (planned score, achievable score).
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub label: String,
    pub color: Rgb,
    pub value: f64,
}

/// The good / fair / poor zones: values below `fair` are poor, below `good` fair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    pub fair: f64,
    pub good: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plot {
    /// Midnight UTC of each day, oldest first.
    pub days: Vec<DateTime>,
    pub lines: Vec<Line>,
    pub levels: Vec<Level>,
    pub bands: Option<Bands>,
    /// The top of the y axis when fixed (100 for percent); else from the data.
    pub y_top: Option<f64>,
    /// `"%"` or `""`, after the y labels.
    pub suffix: &'static str,
    /// A day marked with a vertical line (the day whose change is explained).
    pub mark: Option<usize>,
}

/// Where things go on a `width` x `height` picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub left: i32,
    pub right: i32,
    pub top: i32,
    pub bottom: i32,
    pub days: usize,
    pub y_top: f64,
}

const LEFT: i32 = 44;
const RIGHT: i32 = 14;
const TOP: i32 = 30;
const BOTTOM: i32 = 26;

impl Layout {
    pub fn new(p: &Plot, width: u32, height: u32) -> Self {
        let top = p.y_top.unwrap_or_else(|| nice_top(data_max(p)));
        Layout {
            left: LEFT,
            right: (width as i32 - RIGHT).max(LEFT + 1),
            top: TOP,
            bottom: (height as i32 - BOTTOM).max(TOP + 1),
            days: p.days.len(),
            y_top: top,
        }
    }

    /// The x pixel of day `i`.
    pub fn x(&self, i: usize) -> i32 {
        if self.days < 2 {
            return (self.left + self.right) / 2;
        }
        let w = f64::from(self.right - self.left);
        self.left + (w * i as f64 / (self.days - 1) as f64).round() as i32
    }

    /// The y pixel of a value (clamped to the plot).
    pub fn y(&self, v: f64) -> i32 {
        let h = f64::from(self.bottom - self.top);
        let f = (v / self.y_top).clamp(0.0, 1.0);
        self.bottom - (h * f).round() as i32
    }

    /// The day nearest to an x pixel, if the pixel is over the plot (a few pixels of slack).
    pub fn day_at(&self, x: f64) -> Option<usize> {
        if self.days == 0 || x < f64::from(self.left - 8) || x > f64::from(self.right + 8) {
            return None;
        }
        if self.days == 1 {
            return Some(0);
        }
        let w = f64::from(self.right - self.left);
        let f = ((x - f64::from(self.left)) / w).clamp(0.0, 1.0);
        Some((f * (self.days - 1) as f64).round() as usize)
    }
}

fn data_max(p: &Plot) -> f64 {
    let lines = p.lines.iter().flat_map(|l| l.points.iter().flatten());
    let levels = p.levels.iter().map(|l| &l.value);
    lines
        .chain(levels)
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// A round top for the y axis at or above `max` (1, 2, 2.5, 5 times a power of ten).
pub fn nice_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 10.0;
    }
    let mut unit = 1.0;
    while unit * 10.0 < max {
        unit *= 10.0;
    }
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if unit * m >= max {
            return unit * m;
        }
    }
    unit * 10.0
}

/// Five steps of the y axis, as whole numbers where the top allows.
fn y_ticks(top: f64) -> Vec<f64> {
    (0..=5).map(|i| top * f64::from(i) / 5.0).collect()
}

/// `12`, or `2.5` for a half: the y labels, with integers only.
fn label(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        vigil_core::score::tenths(v)
    }
}

/// `MM-dd` of a day.
fn month_day(d: DateTime) -> String {
    let (_, m, day) = d.date();
    format!("{m:02}-{day:02}")
}

pub fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

pub fn font(size: u32, c: Rgb) -> TextStyle<'static> {
    (FontFamily::SansSerif, size).into_font().color(&rgb(c))
}

/// Contiguous runs of days with a value, as pixel paths.
pub fn runs(l: &Layout, points: &[Option<f64>]) -> Vec<Vec<(i32, i32)>> {
    let mut out: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut cur: Vec<(i32, i32)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        match p.filter(|v| v.is_finite()) {
            Some(v) => cur.push((l.x(i), l.y(v))),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Draws `p` over the whole of `area`.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, p: &Plot) -> Result<(), String> {
    let failed = |_| "the chart could not be drawn".to_owned();
    let (w, h) = area.dim_in_pixel();
    let l = Layout::new(p, w, h);
    area.fill(&WHITE).map_err(failed)?;
    if let Some(b) = p.bands {
        for (from, to, c) in [
            (0.0, b.fair, POOR),
            (b.fair, b.good, FAIR),
            (b.good, l.y_top, GOOD),
        ] {
            if to > from {
                area.draw(&Rectangle::new(
                    [(l.left, l.y(to)), (l.right, l.y(from))],
                    rgb(c).filled(),
                ))
                .map_err(failed)?;
            }
        }
    }
    for v in y_ticks(l.y_top) {
        let y = l.y(v);
        area.draw(&PathElement::new(
            vec![(l.left, y), (l.right, y)],
            rgb(GRID),
        ))
        .map_err(failed)?;
        let text = format!("{}{}", label(v), p.suffix);
        let style = font(11, TEXT).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(text, (l.left - 5, y), style))
            .map_err(failed)?;
    }
    let n = p.days.len();
    let every = n.div_ceil(7).max(1);
    for (i, d) in p.days.iter().enumerate() {
        if !(n - 1 - i).is_multiple_of(every) {
            continue;
        }
        let x = l.x(i);
        area.draw(&PathElement::new(
            vec![(x, l.bottom), (x, l.bottom + 4)],
            rgb(AXIS),
        ))
        .map_err(failed)?;
        let style = font(11, TEXT).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(month_day(*d), (x, l.bottom + 7), style))
            .map_err(failed)?;
    }
    area.draw(&PathElement::new(
        vec![(l.left, l.top), (l.left, l.bottom), (l.right, l.bottom)],
        rgb(AXIS),
    ))
    .map_err(failed)?;
    if let Some(i) = p.mark.filter(|i| *i < n) {
        let x = l.x(i);
        area.draw(&PathElement::new(
            vec![(x, l.top), (x, l.bottom)],
            rgb(AXIS).stroke_width(1),
        ))
        .map_err(failed)?;
    }
    for lv in &p.levels {
        let y = l.y(lv.value);
        let mut x = l.left;
        while x < l.right {
            let end = (x + 6).min(l.right);
            area.draw(&PathElement::new(
                vec![(x, y), (end, y)],
                rgb(lv.color).stroke_width(2),
            ))
            .map_err(failed)?;
            x += 10;
        }
    }
    // The main line last, so it stays on top.
    let mut order: Vec<&Line> = p.lines.iter().filter(|x| !x.main).collect();
    order.extend(p.lines.iter().filter(|x| x.main));
    for line in order {
        let width = if line.main { 3 } else { 2 };
        for run in runs(&l, &line.points) {
            if run.len() == 1 || (line.main && n <= 31) {
                for pt in &run {
                    area.draw(&Circle::new(*pt, width, rgb(line.color).filled()))
                        .map_err(failed)?;
                }
            }
            if run.len() > 1 {
                area.draw(&PathElement::new(run, rgb(line.color).stroke_width(width)))
                    .map_err(failed)?;
            }
        }
    }
    // The legend, in one row above the plot.
    let mut x = l.left;
    let keys = p
        .lines
        .iter()
        .map(|l| (l.label.as_str(), l.color, false))
        .chain(p.levels.iter().map(|l| (l.label.as_str(), l.color, true)));
    for (text, color, dashed) in keys {
        let y = 12;
        let style = rgb(color).stroke_width(3);
        if dashed {
            area.draw(&PathElement::new(vec![(x, y), (x + 6, y)], style))
                .map_err(failed)?;
            area.draw(&PathElement::new(vec![(x + 10, y), (x + 16, y)], style))
                .map_err(failed)?;
        } else {
            area.draw(&PathElement::new(vec![(x, y), (x + 16, y)], style))
                .map_err(failed)?;
        }
        let t = font(12, TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(text.to_owned(), (x + 21, y), t))
            .map_err(failed)?;
        x += 21 + 7 * text.chars().count() as i32 + 16;
    }
    area.present().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot(days: usize) -> Plot {
        Plot {
            days: (0..days as i64)
                .map(|d| DateTime::from_unix(d * 86_400))
                .collect(),
            lines: vec![Line {
                label: "Score".into(),
                color: SCORE,
                points: vec![Some(40.0), None, Some(50.0), Some(61.0)],
                main: true,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn score_plot_layout_maps_days_both_ways() {
        let p = plot(4);
        let l = Layout::new(&p, 600, 300);
        assert_eq!(l.y_top, 100.0);
        assert_eq!(l.x(0), LEFT);
        assert_eq!(l.x(3), 600 - RIGHT);
        for i in 0..4 {
            assert_eq!(l.day_at(f64::from(l.x(i)) + 2.0), Some(i));
        }
        assert_eq!(l.day_at(0.0), None);
        assert_eq!(l.y(0.0), l.bottom);
        assert_eq!(l.y(100.0), l.top);
        assert_eq!(l.y(250.0), l.top, "clamped");
    }

    #[test]
    fn score_plot_gaps_split_the_line() {
        let p = plot(4);
        let l = Layout::new(&p, 600, 300);
        let r = runs(&l, &p.lines[0].points);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].len(), 1);
        assert_eq!(r[1].len(), 2);
        assert!(runs(&l, &[None, None]).is_empty());
    }

    #[test]
    fn score_plot_axis_tops_are_round() {
        assert_eq!(nice_top(0.0), 10.0);
        assert_eq!(nice_top(7.0), 10.0);
        assert_eq!(nice_top(11.0), 20.0);
        assert_eq!(nice_top(136.0), 200.0);
        assert_eq!(nice_top(240.0), 250.0);
        assert_eq!(label(25.0), "25");
        assert_eq!(label(12.5), "12.5");
        assert_eq!(month_day(DateTime::from_unix(0)), "01-01");
    }
}
