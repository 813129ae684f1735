//! Alerts like the open one: the same detection (title) elsewhere in the loaded set, and the
//! other alerts of its incident. Newest first.

use super::filter::{QueueFilter, TimeRange};
use super::table::Table;
use super::{Set, Sort};

/// Alerts related to one alert of the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Similar {
    /// Other alerts with the same title (case and surrounding space ignored), newest first.
    pub same_title: Vec<u32>,
    /// Other alerts of the same incident, newest first.
    pub same_incident: Vec<u32>,
}

/// Related alerts of row `i` (every match; the page shows the first few).
pub fn similar(table: &Table, i: u32) -> Similar {
    let row = table.row(i);
    let title = crate::lowercase::lower(table.str(row.title).trim());
    let incident = row.incident_id;
    let mut out = Similar::default();
    for (j, r) in table.rows().iter().enumerate() {
        let j = j as u32;
        if j == i {
            continue;
        }
        // Compared without allocating: this runs over every loaded row.
        if !title.is_empty()
            && table
                .str(r.title)
                .trim()
                .chars()
                .flat_map(crate::lowercase::lower_char)
                .eq(title.chars())
        {
            out.same_title.push(j);
        }
        if !incident.is_none() && r.incident_id == incident {
            out.same_incident.push(j);
        }
    }
    let newest_first = |v: &mut Vec<u32>| {
        crate::sort::positions(v, &|a, b| table.row(b).created.cmp(&table.row(a).created));
    };
    newest_first(&mut out.same_title);
    newest_first(&mut out.same_incident);
    out
}

/// The queue view listing every alert with this title, any status, severity and time.
pub fn same_title_view(title: &str) -> QueueFilter {
    QueueFilter {
        statuses: Set::any(),
        severities: Set::any(),
        range: TimeRange::ALL_TIME,
        search: title.trim().to_owned(),
        sort: Sort::default(),
        ..QueueFilter::default()
    }
}

// Fixtures are built as JSON trees; tests are native, so the bundle's one-reader rule
// (clippy.toml) does not apply to them.
#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use crate::models::Alert;

    fn alert(id: &str, title: &str, incident: &str, created: &str) -> Alert {
        serde_json::from_value(serde_json::json!({
            "id": id, "title": title, "incidentId": incident, "createdDateTime": created,
        }))
        .unwrap()
    }

    #[test]
    fn finds_same_title_and_same_incident_newest_first() {
        let mut t = Table::new();
        t.merge(
            [
                alert("a", "Suspicious PowerShell", "1", "2026-11-01T00:00:00Z"),
                alert("b", "suspicious powershell ", "2", "2026-11-03T00:00:00Z"),
                alert("c", "Suspicious PowerShell", "3", "2026-11-02T00:00:00Z"),
                alert("d", "Mass download", "1", "2026-11-04T00:00:00Z"),
                alert("e", "Other", "", "2026-11-05T00:00:00Z"),
            ]
            .iter(),
        );
        let ids = |v: &[u32]| -> Vec<String> { v.iter().map(|&i| t.row(i).id.0.clone()).collect() };
        let a = t.position(&crate::models::AlertId::new("a")).unwrap();
        let s = similar(&t, a);
        assert_eq!(ids(&s.same_title), ["b", "c"]);
        assert_eq!(ids(&s.same_incident), ["d"]);
        let e = t.position(&crate::models::AlertId::new("e")).unwrap();
        assert_eq!(
            similar(&t, e),
            Similar::default(),
            "no incident, unique title"
        );
    }

    #[test]
    fn the_same_title_view_finds_every_status_and_time() {
        let f = same_title_view(" Suspicious PowerShell ");
        assert_eq!(f.search, "Suspicious PowerShell");
        assert!(f.statuses.is_any() && f.severities.is_any());
        let back = QueueFilter::from_query_string(&f.to_query_string());
        assert_eq!(back, f);
    }
}
