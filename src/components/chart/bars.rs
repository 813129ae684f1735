//! Horizontal stacked bars as plotters draws them, whatever the backend: one row per label,
//! one segment per part (an operation's outcomes, say), the row's total after the bar, and a
//! legend above. The layout is plain arithmetic on pixels, shared by the drawing and its tests.
//! No float is ever formatted: every figure is a count.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{AXIS, Rgb, TEXT, font, rgb};

/// One row: its label and a count per part (in the order of [`Bars::keys`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub parts: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bars {
    pub rows: Vec<Row>,
    /// Each part's name and colour, for the segments and the legend.
    pub keys: Vec<(String, Rgb)>,
}

/// Where the rows go on a picture `width` pixels wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Where the bars start (the labels end before it) and where the longest one ends.
    pub left: i32,
    pub right: i32,
    /// The top of the first row.
    pub top: i32,
    pub row: i32,
    pub bar: i32,
    /// The largest total, which spans `left..right`.
    pub max: u32,
}

const LEGEND: i32 = 28;
const ROW: i32 = 30;
const BAR: i32 = 18;
const LABEL: i32 = 170;
const TOTAL: i32 = 48;

impl Layout {
    pub fn new(b: &Bars, width: u32) -> Layout {
        let max = b
            .rows
            .iter()
            .map(|r| r.parts.iter().sum::<u32>())
            .max()
            .unwrap_or(0);
        Layout {
            left: LABEL,
            right: (width as i32 - TOTAL).max(LABEL + 1),
            top: LEGEND,
            row: ROW,
            bar: BAR,
            max,
        }
    }

    /// The picture's height for `rows` rows.
    pub fn height(rows: usize) -> u32 {
        (LEGEND + ROW * rows.max(1) as i32 + 4) as u32
    }

    /// The x pixel where `count` of the largest total ends.
    pub fn x(&self, count: u32) -> i32 {
        if self.max == 0 {
            return self.left;
        }
        let w = i64::from(self.right - self.left);
        self.left + (w * i64::from(count) / i64::from(self.max)) as i32
    }

    /// The segments of row `i`: (part, x from, x to, y top, y bottom), empty parts left out.
    pub fn segments(&self, i: usize, row: &Row) -> Vec<(usize, i32, i32, i32, i32)> {
        let y = self.top + self.row * i as i32 + (self.row - self.bar) / 2;
        let mut sum = 0;
        let mut out = Vec::new();
        for (part, n) in row.parts.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let from = self.x(sum);
            sum += n;
            out.push((part, from, self.x(sum), y, y + self.bar));
        }
        out
    }
}

/// Draws `b` over the whole of `area`.
pub fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, b: &Bars) -> Result<(), String> {
    let failed = |_| "the chart could not be drawn".to_owned();
    let (w, _) = area.dim_in_pixel();
    let l = Layout::new(b, w);
    area.fill(&WHITE).map_err(failed)?;
    for (i, row) in b.rows.iter().enumerate() {
        let middle = l.top + l.row * i as i32 + l.row / 2;
        let style = font(12, TEXT).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(row.label.clone(), (l.left - 8, middle), style))
            .map_err(failed)?;
        let segments = l.segments(i, row);
        for (part, x0, x1, y0, y1) in &segments {
            let color = b.keys.get(*part).map_or(AXIS, |k| k.1);
            area.draw(&Rectangle::new(
                [(*x0, *y0), (*x1, *y1)],
                rgb(color).filled(),
            ))
            .map_err(failed)?;
        }
        let end = segments.last().map_or(l.left, |s| s.2);
        let total: u32 = row.parts.iter().sum();
        let style = font(12, TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(total.to_string(), (end + 6, middle), style))
            .map_err(failed)?;
    }
    area.draw(&PathElement::new(
        vec![
            (l.left, l.top),
            (l.left, l.top + l.row * b.rows.len() as i32),
        ],
        rgb(AXIS),
    ))
    .map_err(failed)?;
    let mut x = l.left;
    for (label, color) in &b.keys {
        let y = 12;
        area.draw(&Rectangle::new(
            [(x, y - 5), (x + 12, y + 5)],
            rgb(*color).filled(),
        ))
        .map_err(failed)?;
        let t = font(12, TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(label.clone(), (x + 17, y), t))
            .map_err(failed)?;
        x += 17 + 7 * label.chars().count() as i32 + 16;
    }
    area.present().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Bars {
        Bars {
            rows: vec![
                Row {
                    label: "Estimate".into(),
                    parts: vec![6, 0, 2],
                },
                Row {
                    label: "Export".into(),
                    parts: vec![1, 1, 0],
                },
            ],
            keys: vec![
                ("Succeeded".into(), (0, 128, 0)),
                ("Partly".into(), (200, 120, 0)),
                ("Failed".into(), (200, 0, 0)),
            ],
        }
    }

    #[test]
    fn the_longest_row_spans_the_plot_and_segments_follow_their_counts() {
        let b = bars();
        let l = Layout::new(&b, 600);
        assert_eq!(l.max, 8);
        assert_eq!(l.x(0), l.left);
        assert_eq!(l.x(8), l.right);
        let first = l.segments(0, &b.rows[0]);
        // The empty part is left out; the failed part starts where the succeeded one ends.
        assert_eq!(first.len(), 2);
        assert_eq!((first[0].0, first[1].0), (0, 2));
        assert_eq!(first[0].2, first[1].1);
        assert_eq!(first[1].2, l.right);
        // 6 against 2: three times as wide, give or take the rounding of each end.
        let (w0, w2) = (first[0].2 - first[0].1, first[1].2 - first[1].1);
        assert!((w0 - 3 * w2).abs() <= 3, "{w0} vs {w2}");
        // The second row's bar is a quarter as long, one row lower.
        let second = l.segments(1, &b.rows[1]);
        assert_eq!(second.last().unwrap().2, l.x(2));
        assert_eq!(second[0].3 - first[0].3, l.row);
    }

    #[test]
    fn nothing_counted_draws_no_segment_and_a_height_for_one_row() {
        let b = Bars {
            rows: vec![Row {
                label: "None".into(),
                parts: vec![0, 0],
            }],
            keys: Vec::new(),
        };
        let l = Layout::new(&b, 300);
        assert!(l.segments(0, &b.rows[0]).is_empty());
        assert_eq!(l.x(5), l.left, "no scale without a count");
        assert_eq!(Layout::height(0), Layout::height(1));
    }
}
