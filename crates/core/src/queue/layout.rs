//! The lines of the virtualised table: one per alert, plus a header line before each group when
//! the view is grouped. Every line has the same height, so a scroll offset maps to a line by
//! arithmetic and only the visible lines are rendered.

use super::Column;
use super::table::{Group, Table};

/// What one line of the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// The header of group `group`.
    Header { group: usize },
    /// The alert at position `pos` of the (grouped) view.
    Row { pos: usize },
}

/// The lines of a view: flat (no allocation per row) or grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    rows: usize,
    /// For each group, the view position of its first row.
    starts: Vec<usize>,
}

impl Layout {
    /// `rows` alerts, no headers.
    pub fn flat(rows: usize) -> Layout {
        Layout {
            rows,
            starts: Vec::new(),
        }
    }

    /// Groups of the given sizes, in order, each under a header.
    pub fn grouped(sizes: impl IntoIterator<Item = usize>) -> Layout {
        let mut starts = Vec::new();
        let mut rows = 0;
        for n in sizes {
            starts.push(rows);
            rows += n;
        }
        Layout { rows, starts }
    }

    /// Number of lines (rows plus headers).
    pub fn len(&self) -> usize {
        self.rows + self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What line `k` shows (`k < len()`).
    pub fn line(&self, k: usize) -> Line {
        if self.starts.is_empty() {
            return Line::Row { pos: k };
        }
        // Header lines (`start + group`) strictly increase, so the last one at or before `k`
        // is found by bisection.
        let mut lo = 0;
        let mut hi = self.starts.len();
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.starts[mid] + mid <= k {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if self.starts[lo] + lo == k {
            Line::Header { group: lo }
        } else {
            Line::Row { pos: k - lo - 1 }
        }
    }

    /// The line showing view position `pos`.
    pub fn line_of_row(&self, pos: usize) -> usize {
        if self.starts.is_empty() {
            return pos;
        }
        // The last group starting at or before `pos` (empty groups before it share its start).
        let g = self.starts.partition_point(|&start| start <= pos).max(1) - 1;
        pos + g + 1
    }
}

/// The view's rows reordered group by group (largest group first), the groups, and their
/// layout. Keyboard movement, selection and export then follow what the analyst sees.
pub fn group_view(table: &Table, view: &[u32], column: Column) -> (Vec<u32>, Vec<Group>, Layout) {
    let groups = table.group_by(view, column);
    let order: Vec<u32> = groups.iter().flat_map(|g| g.rows.iter().copied()).collect();
    let layout = Layout::grouped(groups.iter().map(|g| g.rows.len()));
    (order, groups, layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_lines_are_rows() {
        let l = Layout::flat(3);
        assert_eq!(l.len(), 3);
        assert_eq!(l.line(2), Line::Row { pos: 2 });
        assert_eq!(l.line_of_row(2), 2);
        assert!(Layout::flat(0).is_empty());
    }

    #[test]
    fn grouped_lines_put_a_header_before_each_group() {
        let l = Layout::grouped([2, 1, 3]);
        let lines: Vec<Line> = (0..l.len()).map(|k| l.line(k)).collect();
        use Line::*;
        assert_eq!(
            lines,
            [
                Header { group: 0 },
                Row { pos: 0 },
                Row { pos: 1 },
                Header { group: 1 },
                Row { pos: 2 },
                Header { group: 2 },
                Row { pos: 3 },
                Row { pos: 4 },
                Row { pos: 5 },
            ]
        );
        for (k, line) in lines.iter().enumerate() {
            if let Row { pos } = line {
                assert_eq!(l.line_of_row(*pos), k);
            }
        }
    }

    #[test]
    fn empty_groups_still_have_headers() {
        let l = Layout::grouped([0, 2]);
        assert_eq!(l.len(), 4);
        assert_eq!(l.line(0), Line::Header { group: 0 });
        assert_eq!(l.line(1), Line::Header { group: 1 });
        assert_eq!(l.line(2), Line::Row { pos: 0 });
        assert_eq!(l.line_of_row(1), 3);
    }
}
