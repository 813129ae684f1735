//! The alert queue: URL round trips, server/client filtering, the table model, export, bulk
//! triage (mock and emulator) and the overview's figures.

// This runs natively, outside the bundle, so the bundle's size rules (clippy.toml) do not
// apply: JSON is read from bytes and trees as is handiest here.
#![allow(clippy::disallowed_methods)]

mod common;

use std::rc::Rc;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::{Value, json};
use vigil_core::client::{RequestSpec, Retry};
use vigil_core::models::*;
use vigil_core::native::NativeTransport;
use vigil_core::odata::Query;
use vigil_core::overview::{self, Link};
use vigil_core::queue::bulk::{BulkJob, IncidentJob, ItemState};
use vigil_core::queue::export::{self, ExportOptions, Format};
use vigil_core::queue::incidents::IncidentFilter;
use vigil_core::queue::table::visible_range;
use vigil_core::queue::{
    Assigned, ChipKey, Column, QueueFilter, SavedView, Set, Sort, Table, TimeField, TimeRange,
    Viewer,
};
use vigil_core::scheduler::Family;
use vigil_core::{GraphClient, Method, StaticToken};
use vigil_emulator::{Budgets, Options};

const ME: &str = "alex.analyst@contoso.example";

fn now() -> DateTime {
    DateTime::parse("2026-11-21T12:00:00Z").unwrap()
}

fn viewer() -> Viewer<'static> {
    Viewer {
        now: now(),
        me: Some(ME),
    }
}

fn hours_ago(h: i64) -> String {
    DateTime::from_unix(now().unix_seconds() - h * 3600).to_rfc3339()
}

/// A small alert; `extra` overrides or adds properties.
fn alert(id: &str, extra: Value) -> Alert {
    let mut v = json!({
        "id": id,
        "title": format!("Alert {id}"),
        "description": "Something happened",
        "severity": "high",
        "status": "new",
        "serviceSource": "microsoftDefenderForEndpoint",
        "detectionSource": "antivirus",
        "category": "Execution",
        "tenantId": "t1",
        "createdDateTime": hours_ago(2),
        "lastUpdateDateTime": hours_ago(1),
        "evidence": [],
    });
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

// ----- filter: URL -----

fn subset<T: Clone + std::fmt::Debug + 'static>(all: Vec<T>) -> impl Strategy<Value = Vec<T>> {
    let n = all.len();
    proptest::collection::vec(any::<bool>(), n).prop_map(move |mask| {
        all.iter()
            .zip(mask)
            .filter(|(_, m)| *m)
            .map(|(v, _)| v.clone())
            .collect()
    })
}

fn known<E>(names: &'static [&'static str], parse: fn(&str) -> E) -> Vec<E> {
    names.iter().map(|n| parse(n)).collect()
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just(' '),
            Just('&'),
            Just('='),
            Just('+'),
            Just('%'),
            Just('#'),
            Just(','),
            Just('@'),
            Just('\''),
            Just('?'),
            Just('ü'),
            Just('日'),
            any::<char>()
        ],
        0..12,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn date() -> impl Strategy<Value = Option<DateTime>> {
    prop_oneof![
        Just(None),
        (0i64..4_000_000_000, 0u32..1000)
            .prop_map(|(s, ms)| Some(DateTime::from_unix_millis(s * 1000 + i64::from(ms)))),
    ]
}

prop_compose! {
    fn queue_filter()(
        statuses in subset(known(AlertStatus::KNOWN, AlertStatus::parse)),
        severities in subset(known(AlertSeverity::KNOWN, AlertSeverity::parse)),
        services in subset(known(ServiceSource::KNOWN, ServiceSource::parse)),
        detections in subset(known(DetectionSource::KNOWN, DetectionSource::parse)),
        classifications in subset(known(AlertClassification::KNOWN, AlertClassification::parse)),
        determinations in subset(known(AlertDetermination::KNOWN, AlertDetermination::parse)),
        assigned in prop_oneof![
            Just(Assigned::Anyone), Just(Assigned::Me), Just(Assigned::Unassigned),
            text().prop_map(Assigned::Name)
        ],
        tenant in proptest::option::of(text()),
        range in prop_oneof![
            Just(TimeRange::Last24h), Just(TimeRange::Last7d), Just(TimeRange::Last30d),
            (date(), date()).prop_map(|(from, to)| TimeRange::Custom { from, to })
        ],
        time_field in prop_oneof![Just(TimeField::Created), Just(TimeField::Updated), Just(TimeField::Resolved)],
        search in text(),
        column in proptest::sample::select(Column::ALL.to_vec()),
        descending in any::<bool>(),
        selected in proptest::option::of(text()),
        columns in subset(Column::ALL.to_vec()),
        group in proptest::option::of(proptest::sample::select(Column::ALL.to_vec())),
    ) -> QueueFilter {
        QueueFilter {
            statuses: Set::of(statuses),
            severities: Set::of(severities),
            services: Set::of(services),
            detections: Set::of(detections),
            classifications: Set::of(classifications),
            determinations: Set::of(determinations),
            assigned,
            tenant,
            range,
            time_field,
            search,
            sort: Sort { column, descending },
            selected: selected.map(AlertId::new),
            columns,
            group,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_view_survives_the_url(f in queue_filter()) {
        let qs = f.to_query_string();
        let back = QueueFilter::from_query_string(&qs);
        prop_assert_eq!(&back, &f.normalized(), "via {}", qs);
        // And with a leading `?`, as `location.search` gives it.
        prop_assert_eq!(QueueFilter::from_query_string(&format!("?{qs}")), back.clone());
        // Decoded pairs (what the router's query map holds) read the same.
        let pairs: Vec<(String, String)> = qs
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_owned(), vigil_core::odata::percent_decode(v).unwrap())
            })
            .collect();
        prop_assert_eq!(
            QueueFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            back
        );
    }

    #[test]
    fn any_query_string_reads_without_panicking(qs in text(), keys in proptest::collection::vec(
        proptest::sample::select(vec!["status", "severity", "assigned", "range", "from", "to", "sort", "dir", "cols", "alert", "q", "on", "tenant", "service"]), 0..6)) {
        let mut s = String::new();
        for k in keys {
            s.push_str(&format!("{k}={qs}&"));
        }
        let f = QueueFilter::from_query_string(&s);
        // Whatever was read is itself stable.
        prop_assert_eq!(QueueFilter::from_query_string(&f.to_query_string()), f.normalized());
        let _ = f.server_query(viewer());
        let _ = IncidentFilter::from_query_string(&s).to_query_string();
    }
}

#[test]
fn urls_are_readable_and_defaults_are_defenders() {
    let d = QueueFilter::default();
    assert_eq!(
        d.statuses,
        Set::of([AlertStatus::New, AlertStatus::InProgress])
    );
    assert_eq!(d.range, TimeRange::Last7d);
    assert_eq!(
        d.sort,
        Sort {
            column: Column::Created,
            descending: true
        }
    );
    let f = QueueFilter {
        severities: Set::of([AlertSeverity::High]),
        assigned: Assigned::Unassigned,
        search: "mimikatz lsass".into(),
        selected: Some(AlertId::new("da123_4")),
        ..QueueFilter::default()
    };
    assert_eq!(
        f.to_query_string(),
        "severity=high&assigned=@none&q=mimikatz%20lsass&alert=da123_4"
    );
}

// ----- filter: server side and client side -----

#[test]
fn server_query_filters_what_graph_filters() {
    let q = QueueFilter::default().server_query(viewer());
    assert_eq!(
        q.filter_str().unwrap(),
        "(status eq 'new' or status eq 'inProgress') and (severity eq 'low' or severity eq 'medium' or severity eq 'high') and createdDateTime ge 2026-11-14T12:00:00Z"
    );
    assert!(q.to_query_string().contains("$count=true"));

    let f = QueueFilter {
        statuses: Set::any(),
        severities: Set::any(),
        services: Set::of([ServiceSource::MicrosoftDefenderForOffice365]),
        detections: Set::of([DetectionSource::Antivirus]),
        assigned: Assigned::Me,
        tenant: Some("t1".into()),
        range: TimeRange::ALL_TIME,
        search: "evil".into(),
        ..QueueFilter::default()
    };
    // Detection source, tenant and text are not filterable on the server.
    assert_eq!(
        f.server_query(viewer()).filter_str().unwrap(),
        "serviceSource eq 'microsoftDefenderForOffice365' and assignedTo eq 'alex.analyst@contoso.example'"
    );
    // Without knowing who "me" is, the server is not asked to filter on it.
    let anonymous = Viewer {
        now: now(),
        me: None,
    };
    assert_eq!(
        f.server_query(anonymous).filter_str().unwrap(),
        "serviceSource eq 'microsoftDefenderForOffice365'"
    );
    let custom = QueueFilter {
        range: TimeRange::Custom {
            from: DateTime::parse("2026-01-01T00:00:00Z"),
            to: DateTime::parse("2026-01-02T00:00:00Z"),
        },
        time_field: TimeField::Updated,
        statuses: Set::any(),
        severities: Set::any(),
        assigned: Assigned::Name("O'Brien".into()),
        ..QueueFilter::default()
    };
    assert_eq!(
        custom.server_query(viewer()).filter_str().unwrap(),
        "assignedTo eq 'O''Brien' and lastUpdateDateTime ge 2026-01-01T00:00:00Z and lastUpdateDateTime le 2026-01-02T00:00:00Z"
    );
}

#[test]
fn client_side_matching() {
    let with_evidence = alert(
        "a1",
        json!({"evidence": [
            {"@odata.type": "#microsoft.graph.security.deviceEvidence", "deviceDnsName": "WS-Finance-07.contoso.example"},
            {"@odata.type": "#microsoft.graph.security.fileEvidence", "fileDetails": {"fileName": "Invoice.DOCM", "sha256": "ABCDEF0123"}},
            {"@odata.type": "#microsoft.graph.security.userEvidence", "userAccount": {"userPrincipalName": "Kim@contoso.example"}}
        ]}),
    );
    let search = |q: &str| QueueFilter {
        search: q.into(),
        ..QueueFilter::default()
    };
    assert!(search("ws-finance").matches(&with_evidence, viewer()));
    assert!(search("invoice.docm abcdef").matches(&with_evidence, viewer()));
    assert!(search("KIM@CONTOSO").matches(&with_evidence, viewer()));
    assert!(
        search("ALERT A1").matches(&with_evidence, viewer()),
        "title"
    );
    assert!(
        search("happened").matches(&with_evidence, viewer()),
        "description"
    );
    assert!(
        !search("invoice nothere").matches(&with_evidence, viewer()),
        "every word must match"
    );

    // A table finds what the alert's own text finds: its rows keep interned words, not text.
    let other = alert(
        "B2-Other",
        json!({"title": "Logon from WS-FINANCE-07", "evidence": [
            {"@odata.type": "#microsoft.graph.security.userEvidence", "userAccount": {"userPrincipalName": "lee@contoso.example"}}
        ]}),
    );
    let alerts = [with_evidence.clone(), other];
    let mut t = Table::new();
    t.merge(alerts.iter());
    for q in [
        "ws-finance",
        "finance-07 contoso.example",
        "kim@",
        "lee@contoso",
        "b2-oth",
        "A1",
        "alert",
        "happened lee",
        "invoice nothere",
        "",
    ] {
        let f = search(q);
        let mut by_alert: Vec<&str> = alerts
            .iter()
            .filter(|a| f.matches(a, viewer()))
            .map(|a| a.id.0.as_str())
            .collect();
        let mut by_table: Vec<&str> = t
            .view(&f, viewer())
            .iter()
            .map(|&i| t.row(i).id.0.as_str())
            .collect();
        by_table.sort();
        by_alert.sort();
        assert_eq!(by_table, by_alert, "search {q:?}");
    }
    assert_eq!(
        t.view(&search("b2-oth"), viewer()).len(),
        1,
        "ids in any case"
    );
    assert_eq!(t.view(&search("lee@contoso"), viewer()).len(), 1);

    let det = QueueFilter {
        detections: Set::of([DetectionSource::SmartScreen]),
        ..QueueFilter::default()
    };
    assert!(!det.matches(&with_evidence, viewer()));
    let det = QueueFilter {
        detections: Set::of([DetectionSource::Antivirus]),
        ..QueueFilter::default()
    };
    assert!(det.matches(&with_evidence, viewer()));

    let old = alert("old", json!({"createdDateTime": hours_ago(24 * 8)}));
    assert!(
        !QueueFilter::default().matches(&old, viewer()),
        "older than 7 days"
    );
    let info = alert("info", json!({"severity": "informational"}));
    assert!(!QueueFilter::default().matches(&info, viewer()));
    let resolved = alert("r", json!({"status": "resolved"}));
    assert!(!QueueFilter::default().matches(&resolved, viewer()));

    let mine = alert("m", json!({"assignedTo": "Alex.Analyst@contoso.example"}));
    let me = QueueFilter {
        assigned: Assigned::Me,
        ..QueueFilter::default()
    };
    assert!(me.matches(&mine, viewer()));
    assert!(!me.matches(&with_evidence, viewer()));
    let unassigned = QueueFilter {
        assigned: Assigned::Unassigned,
        ..QueueFilter::default()
    };
    assert!(unassigned.matches(&with_evidence, viewer()));
    assert!(!unassigned.matches(&mine, viewer()));

    let other_tenant = alert("o", json!({"tenantId": "t2"}));
    let t1 = QueueFilter {
        tenant: Some("t1".into()),
        ..QueueFilter::default()
    };
    assert!(t1.matches(&with_evidence, viewer()));
    assert!(!t1.matches(&other_tenant, viewer()));
}

#[test]
fn chips_remove_one_restriction_each() {
    let f = QueueFilter {
        search: "x".into(),
        assigned: Assigned::Me,
        ..QueueFilter::default()
    };
    let keys: Vec<ChipKey> = f.chips().iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        [
            ChipKey::Status,
            ChipKey::Severity,
            ChipKey::Assigned,
            ChipKey::Range,
            ChipKey::Search
        ]
    );
    assert_eq!(f.chips()[0].label, "Status: New, In progress");
    let g = f.without(ChipKey::Severity);
    assert!(g.severities.is_any());
    assert_eq!(g.statuses, f.statuses);
    assert!(g.to_query_string().contains("severity=&"));
    assert!(
        QueueFilter::from_query_string(&g.to_query_string())
            .severities
            .is_any()
    );
}

#[test]
fn saved_views_export_and_import() {
    let mut views = SavedView::builtin();
    views.push(SavedView::new(
        "Phishing, \"fresh\"",
        &QueueFilter {
            search: "phish".into(),
            range: TimeRange::Last24h,
            ..QueueFilter::default()
        },
    ));
    let json = SavedView::to_json(&views);
    assert_eq!(SavedView::from_json(&json).unwrap(), views);
    assert_eq!(views[0].filter().assigned, Assigned::Unassigned);
    assert_eq!(views[1].filter().assigned, Assigned::Me);
    // Tolerant import: bare arrays, junk entries skipped, queries normalised.
    let imported = SavedView::from_json(
        r#"[{"name":"ok","query":"severity=high&evil=<script>"},{"nope":1},{"name":"  ","query":""}, 3]"#,
    )
    .unwrap();
    assert_eq!(
        imported,
        vec![SavedView {
            name: "ok".into(),
            query: "severity=high".into()
        }]
    );
    assert!(SavedView::from_json("not json").is_err());
    assert!(SavedView::from_json("42").is_err());
    assert!(SavedView::from_json(r#"{"version":1,"views":{}}"#).is_err());
    assert_eq!(SavedView::from_json(r#"{"version":1}"#).unwrap(), []);
    // The file as written: versioned, one view per object, indented.
    let one = SavedView {
        name: "Mine".into(),
        query: "assigned=me".into(),
    };
    assert_eq!(
        SavedView::to_json(&[one]),
        "{\n  \"version\": 1,\n  \"views\": [\n    {\n      \"name\": \"Mine\",\n      \"query\": \"assigned=me\"\n    }\n  ]\n}"
    );
}

// ----- table -----

#[test]
fn table_sorts_stably_counts_and_merges() {
    let mut t = Table::new();
    let a = [
        alert(
            "1",
            json!({"severity": "low", "title": "beta", "createdDateTime": hours_ago(5)}),
        ),
        alert(
            "2",
            json!({"severity": "high", "title": "Alpha", "createdDateTime": hours_ago(1)}),
        ),
        alert(
            "3",
            json!({"severity": "low", "title": "alpha", "createdDateTime": hours_ago(3)}),
        ),
        alert(
            "4",
            json!({"severity": "medium", "title": "Gamma", "createdDateTime": hours_ago(4)}),
        ),
        alert(
            "5",
            json!({"severity": "high", "title": "delta", "createdDateTime": hours_ago(2)}),
        ),
    ];
    let m = t.merge(a.iter());
    assert_eq!((m.added, m.updated), (5, 0));
    assert_eq!(
        t.interned(),
        10,
        "each string stored once: category and tenant; the titles as they are (beta, Alpha, \
         alpha, Gamma, delta); the searchable words not among them (gamma, the description, \
         the category lower-cased)"
    );

    fn ids(t: &Table, idx: &[u32]) -> Vec<String> {
        idx.iter().map(|&i| t.row(i).id.0.clone()).collect()
    }
    let mut f = QueueFilter::default();
    assert_eq!(
        ids(&t, &t.view(&f, viewer())),
        ["2", "5", "3", "4", "1"],
        "newest first"
    );
    f.sort = Sort {
        column: Column::Severity,
        descending: true,
    };
    // Stable: equal severities keep the table's order (2 before 5, 1 before 3).
    assert_eq!(ids(&t, &t.view(&f, viewer())), ["2", "5", "4", "1", "3"]);
    f.sort = Sort {
        column: Column::Severity,
        descending: false,
    };
    assert_eq!(ids(&t, &t.view(&f, viewer())), ["1", "3", "4", "2", "5"]);
    f.sort = Sort {
        column: Column::Title,
        descending: false,
    };
    assert_eq!(
        ids(&t, &t.view(&f, viewer())),
        ["2", "3", "1", "5", "4"],
        "case-insensitive"
    );

    let all = t.view(&f, viewer());
    let c = t.severity_counts(&all);
    assert_eq!((c.high, c.medium, c.low, c.total()), (2, 1, 2, 5));

    // Live refresh: one changed, one new; existing rows keep their index.
    let pos = t.position(&AlertId::new("3")).unwrap();
    let m = t.merge(
        [
            alert(
                "3",
                json!({"status": "resolved", "severity": "low", "title": "alpha"}),
            ),
            alert("6", json!({})),
        ]
        .iter(),
    );
    assert_eq!((m.added, m.updated), (1, 1));
    assert_eq!(t.len(), 6);
    assert_eq!(t.position(&AlertId::new("3")), Some(pos));
    assert!(!ids(&t, &t.view(&QueueFilter::default(), viewer())).contains(&"3".to_owned()));

    let groups = t.group_by(&t.view(&QueueFilter::default(), viewer()), Column::Severity);
    assert_eq!(groups[0].key, "high");
    assert_eq!(groups[0].rows.len(), 3);
}

#[test]
fn provider_sorts_by_its_label_and_groups_keep_the_rows_order() {
    let mut t = Table::new();
    let service =
        |id: &str, s: &str, sev: &str| alert(id, json!({"serviceSource": s, "severity": sev}));
    let a = [
        service("1", "microsoft365Defender", "high"),
        service("2", "microsoftDefenderForEndpoint", "low"),
        alert("3", json!({"severity": "high", "serviceSource": null})),
        service("4", "microsoftDefenderForEndpoint", "high"),
        service("5", "microsoft365Defender", "medium"),
        service("6", "someNewProvider", "low"),
    ];
    t.merge(a.iter());
    let ids = |idx: &[u32]| -> Vec<String> { idx.iter().map(|&i| t.row(i).id.0.clone()).collect() };
    let all: Vec<u32> = ["1", "2", "3", "4", "5", "6"]
        .iter()
        .map(|id| t.position(&AlertId::new(*id)).unwrap())
        .collect();

    // By what the column shows ("Defender for Endpoint" before "Microsoft 365 Defender"),
    // not by the wire names; the alert with none first; equal ones in their order either way.
    let mut idx = all.clone();
    let by = |descending| Sort {
        column: Column::Provider,
        descending,
    };
    t.sort(&mut idx, by(false));
    assert_eq!(ids(&idx), ["3", "2", "4", "1", "5", "6"]);
    idx.reverse();
    t.sort(&mut idx, by(true));
    assert_eq!(ids(&idx), ["6", "5", "1", "4", "2", "3"]);

    // Largest group first, then by key; each group's rows in the order given, and counted.
    let mut given = all.clone();
    given.reverse();
    let groups = t.group_by(&given, Column::Provider);
    let summary: Vec<(&str, Vec<String>, usize)> = groups
        .iter()
        .map(|g| (g.key.as_str(), ids(&g.rows), g.counts.high))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "microsoft365Defender",
                vec!["5".to_owned(), "1".to_owned()],
                1
            ),
            (
                "microsoftDefenderForEndpoint",
                vec!["4".to_owned(), "2".to_owned()],
                1
            ),
            ("", vec!["3".to_owned()], 1),
            ("someNewProvider", vec!["6".to_owned()], 0),
        ]
    );
}

#[test]
fn windowing_renders_only_what_is_visible() {
    // 10,000 rows of 28 px, a 560 px viewport scrolled to row 5,000, 5 rows of overscan.
    let r = visible_range(5000.0 * 28.0, 560.0, 28.0, 10_000, 5);
    assert_eq!(r, 4995..5026);
    assert!(r.len() < 40);
    assert_eq!(visible_range(0.0, 560.0, 28.0, 3, 5), 0..3);
}

// ----- export -----

/// A minimal RFC 4180 reader, to check what a spreadsheet would see.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_and_ndjson_of_the_filtered_set() {
    let mut t = Table::new();
    let nasty = "=HYPERLINK(\"http://evil\",\"click\"), then\nnewline";
    t.merge(
        [
            alert(
                "1",
                json!({"title": nasty, "createdDateTime": "2026-11-21T10:00:00Z"}),
            ),
            alert("2", json!({"title": "@SUM(1)", "assignedTo": "-x"})),
            alert("3", json!({"severity": "informational"})),
        ]
        .iter(),
    );
    let idx = t.view(&QueueFilter::default(), viewer());
    assert_eq!(idx.len(), 2);
    let opts = ExportOptions {
        columns: vec![
            Column::Id,
            Column::Title,
            Column::AssignedTo,
            Column::Created,
        ],
        offset_minutes: 60,
        ..ExportOptions::default()
    };
    let e = export::export(&t, &idx, &opts);
    assert_eq!(e.rows, 2);
    assert_eq!(e.summary(), "Exported 2 alerts.");
    let rows = parse_csv(&e.text);
    assert_eq!(rows.len(), 3, "header + 2 rows");
    assert_eq!(rows[0], ["Alert id", "Title", "Assigned to", "Created"]);
    let one = rows.iter().find(|r| r[0] == "1").unwrap();
    assert_eq!(
        one[1],
        format!("'{nasty}"),
        "formula guarded, quoting intact"
    );
    assert_eq!(one[3], "2026-11-21T11:00:00+01:00");
    let two = rows.iter().find(|r| r[0] == "2").unwrap();
    assert_eq!(two[1], "'@SUM(1)");
    assert_eq!(two[2], "'-x");
    assert!(e.text.ends_with("\r\n"));

    let n = export::export(
        &t,
        &idx,
        &ExportOptions {
            format: Format::Ndjson,
            ..ExportOptions::default()
        },
    );
    let lines: Vec<Value> = n
        .text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(n.rows, 2);
    let first = lines.iter().find(|l| l["id"] == "1").unwrap();
    assert_eq!(first["title"], nasty, "NDJSON keeps the text as it is");
    assert_eq!(first["created"], "2026-11-21T10:00:00Z");
    assert_eq!(first["assigned"], Value::Null);
}

// ----- bulk triage -----

#[tokio::test]
async fn bulk_job_records_per_alert_results_and_retries_only_failures() {
    use common::{Mock, json as resp};
    use std::cell::Cell;
    // First round: alert "b" fails with 403-like error, "c" answers with a status that was not
    // applied. Second round: everything succeeds.
    let round = Rc::new(Cell::new(0));
    let r2 = round.clone();
    let mock = Mock::new(move |req, _| {
        let body: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let id = r["url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
                let first = r2.get() == 0;
                if first && id == "b" {
                    json!({"id": r["id"], "status": 404, "body": {"error": {"code": "NotFound", "message": "No alert b"}}})
                } else if first && id == "c" {
                    json!({"id": r["id"], "status": 200, "body": {"id": id, "status": "new", "assignedTo": null}})
                } else {
                    json!({"id": r["id"], "status": 200, "body": {"id": id, "status": "inProgress", "assignedTo": ME}})
                }
            })
            .collect();
        resp(200, json!({ "responses": responses }))
    });
    let client = GraphClient::new(
        mock,
        "https://graph.microsoft.com",
        "t",
        Rc::new(StaticToken("x".into())),
    )
    .unwrap();
    let ids: Vec<AlertId> = ["a", "b", "c", "a"]
        .iter()
        .map(|s| AlertId::new(*s))
        .chain((0..30).map(|n| AlertId::new(format!("n{n}"))))
        .collect();
    let update = AlertUpdate {
        status: Some(AlertStatus::InProgress),
        assigned_to: Some(Some(ME.into())),
        ..Default::default()
    };
    assert!(BulkJob::new(ids.clone(), AlertUpdate::default()).is_err());
    let mut job = BulkJob::new(ids, update).unwrap();
    assert_eq!(job.items.len(), 33, "duplicates dropped");
    let mut calls = vec![];
    let mut merged = 0;
    let p = job
        .run(&client, |j, confirmed| {
            calls.push(j.progress().done());
            merged += confirmed.len();
        })
        .await;
    assert_eq!(calls, [20, 33], "progress after each batch of 20");
    assert_eq!((p.confirmed, p.failed, p.pending), (31, 2, 0));
    assert_eq!(merged, 31);
    let failures: Vec<(String, String)> = job
        .failures()
        .map(|(i, m)| (i.0.clone(), m.to_owned()))
        .collect();
    assert_eq!(failures[0].0, "b");
    assert!(
        !failures[0].1.is_empty() && !failures[0].1.contains("did not apply"),
        "{}",
        failures[0].1
    );
    assert_eq!(failures[1].0, "c");
    // Said in the wire's words, not Rust's debug syntax ("Some(New)").
    assert_eq!(
        failures[1].1,
        "The service did not apply the change: status is new, expected inProgress."
    );
    assert_eq!(p.describe(), "33 of 33 done, 2 failed");

    round.set(1);
    assert_eq!(job.retry_failures(), 2);
    let before = client.transport().count();
    let p = job.run(&client, |_, _| {}).await;
    assert_eq!(
        client.transport().count() - before,
        1,
        "one batch for the two failures"
    );
    assert_eq!((p.confirmed, p.failed), (33, 0));
    let last = &client.transport().log.borrow()[before].1;
    let body: Value = serde_json::from_slice(last.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["requests"].as_array().unwrap().len(), 2);
    assert_eq!(
        body["requests"][0]["body"],
        json!({"status": "inProgress", "assignedTo": ME}),
        "only the changed fields are sent"
    );
}

#[tokio::test]
async fn bulk_assign_of_fifty_alerts_under_tight_throttling() {
    // The emulator allows 12 alert requests per second (batch items count one each), so the
    // 50 PATCHes must wait out several 429s; every one must still be confirmed.
    let mut budgets = Budgets::default();
    budgets.set(vigil_emulator::throttle::BudgetRule {
        name: "alerts".into(),
        requests: 12,
        window: Duration::from_secs(1),
        concurrent: None,
    });
    let emu = vigil_emulator::start(Options {
        port: 0,
        alerts: 200,
        budgets,
        ..Default::default()
    })
    .await
    .expect("emulator starts");
    let tenant = emu.tenants()[0].id.clone();
    let token = emu.mint_access_token(&tenant, ME, &["SecurityAlert.ReadWrite.All"]);
    let transport = common::Recorder::new(NativeTransport::new().with_seed(3));
    let c = GraphClient::new(
        transport,
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken(token)),
    )
    .unwrap();

    let unassigned = QueueFilter {
        statuses: Set::any(),
        severities: Set::any(),
        range: TimeRange::ALL_TIME,
        ..QueueFilter::default()
    };
    let mut alerts = c
        .list_alerts(&unassigned.server_query(viewer()).top(100))
        .collect_all()
        .await
        .unwrap();
    alerts.retain(|a| a.assigned_to.as_deref() != Some(ME));
    assert!(alerts.len() >= 50, "{} alerts", alerts.len());
    let ids: Vec<AlertId> = alerts.iter().take(50).map(|a| a.id.clone()).collect();
    let mut job = BulkJob::new(
        ids.clone(),
        AlertUpdate {
            assigned_to: Some(Some(ME.into())),
            ..Default::default()
        },
    )
    .unwrap();
    let mut table = Table::new();
    table.merge(alerts.iter());
    let p = job
        .run(&c, |_, confirmed| {
            table.merge(confirmed.iter());
        })
        .await;
    let fails: Vec<_> = job.failures().collect();
    assert!(fails.is_empty(), "{fails:?}");
    assert_eq!(p.confirmed, 50);
    assert!(job.items.iter().all(|i| i.state == ItemState::Confirmed));
    let throttled = c
        .transport()
        .log
        .borrow()
        .iter()
        .filter(|(_, _, _, s)| *s == 429)
        .count();
    let batches = c
        .transport()
        .log
        .borrow()
        .iter()
        .filter(|(_, _, u, _)| u.ends_with("$batch"))
        .count();
    assert!(
        batches > 3,
        "throttled items were re-sent ({batches} batches, {throttled} whole-batch 429s)"
    );
    // The table reflects the service's answers, and a fresh read agrees.
    let mine = QueueFilter {
        assigned: Assigned::Me,
        ..unassigned.clone()
    };
    let view = table.view(&mine, viewer());
    assert_eq!(view.len(), 50);
    let fresh = c
        .list_alerts(&mine.server_query(viewer()).top(100))
        .collect_all()
        .await
        .unwrap();
    let fresh_ids: std::collections::HashSet<_> = fresh.iter().map(|a| a.id.clone()).collect();
    assert!(ids.iter().all(|i| fresh_ids.contains(i)));
}

// ----- the table is smaller than the JSON -----

#[tokio::test]
async fn a_large_table_holds_less_than_its_json() {
    let emu = vigil_emulator::start(Options {
        port: 0,
        alerts: 3000,
        budgets: Budgets {
            enabled: false,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let tenant = emu.tenants()[0].id.clone();
    let token = emu.mint_access_token(&tenant, ME, &["SecurityAlert.Read.All"]);
    let c = GraphClient::new(
        NativeTransport::new(),
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken(token)),
    )
    .unwrap();
    let mut url = format!(
        "{}{}",
        c.url(vigil_core::ApiVersion::V1, "security/alerts_v2"),
        Query::new().top(1000).to_query_string()
    );
    let mut json_bytes = 0;
    let mut table = Table::new();
    loop {
        let r = c
            .execute(RequestSpec {
                method: Method::Get,
                url: url.clone(),
                body: None,
                family: Family::Alerts,
                retry: Retry::Idempotent,
                scope: None,
            })
            .await
            .unwrap();
        let page: Value = serde_json::from_slice(&r.body).unwrap();
        for v in page["value"].as_array().unwrap() {
            json_bytes += serde_json::to_vec(v).unwrap().len();
            let a: Alert = serde_json::from_value(v.clone()).unwrap();
            table.merge([&a]);
        }
        match page["@odata.nextLink"].as_str() {
            Some(n) => url = n.to_owned(),
            None => break,
        }
    }
    assert!(table.len() >= 3000);
    let bytes = table.approx_bytes();
    assert!(
        bytes * 2 < json_bytes,
        "table {bytes} bytes vs JSON {json_bytes} bytes for {} alerts",
        table.len()
    );
}

// ----- overview -----

#[test]
fn overview_figures_link_to_views_that_reproduce_them() {
    let mut alerts = vec![];
    for n in 0..40 {
        let sev = ["high", "medium", "low", "informational"][n % 4];
        let status = ["new", "inProgress", "resolved"][n % 3];
        let svc = [
            "microsoftDefenderForEndpoint",
            "microsoftDefenderForOffice365",
        ][n % 2];
        let created = hours_ago(24 * (n as i64) + 1);
        let mut extra = json!({
            "severity": sev, "status": status, "serviceSource": svc,
            "createdDateTime": created,
            "assignedTo": if n % 5 == 0 { Value::Null } else { json!("someone@contoso.example") },
        });
        if status == "resolved" {
            extra["resolvedDateTime"] = json!(hours_ago(24 * (n as i64) - 5));
        }
        alerts.push(alert(&format!("a{n}"), extra));
    }
    let incidents: Vec<Incident> = serde_json::from_value(json!([
        {"id": "1", "status": "active", "severity": "high", "createdDateTime": hours_ago(3)},
        {"id": "2", "status": "resolved", "severity": "high", "createdDateTime": hours_ago(3)},
        {"id": "3", "status": "inProgress", "severity": "low", "createdDateTime": hours_ago(3)},
    ]))
    .unwrap();
    let o = overview::compute(&alerts, &incidents, now(), 0);
    let count = |link: &Link| match link {
        Link::Alerts(f) => alerts.iter().filter(|a| f.matches(a, viewer())).count(),
        Link::Incidents(f) => incidents
            .iter()
            .filter(|i| f.matches(i, now(), Some(ME)))
            .count(),
    };
    let open = alerts
        .iter()
        .filter(|a| a.status != Some(AlertStatus::Resolved))
        .count();
    assert_eq!(o.open_alerts.value, open);
    assert_eq!(count(&o.open_alerts.link), open);
    for fig in o
        .open_alerts_by_severity
        .iter()
        .chain(&o.open_alerts_by_provider)
    {
        assert_eq!(count(&fig.link), fig.value, "{}", fig.label);
    }
    assert_eq!(o.open_incidents.value, 2);
    for fig in std::iter::once(&o.open_incidents).chain(&o.open_incidents_by_severity) {
        assert_eq!(count(&fig.link), fig.value, "{}", fig.label);
    }
    assert_eq!(o.per_day.len(), overview::DAYS);
    assert_eq!(o.per_day.last().unwrap().date, "2026-11-21");
    let new_total: usize = o.per_day.iter().map(|d| d.new).sum();
    assert_eq!(new_total, 30, "alerts created in the last 30 days");
    for d in &o.per_day {
        assert_eq!(count(&d.new_link), d.new, "new on {}", d.date);
        assert_eq!(
            count(&d.resolved_link),
            d.resolved,
            "resolved on {}",
            d.date
        );
    }
    let ttr = o.time_to_resolve.as_ref().unwrap();
    assert_eq!(ttr.mean_seconds, 6 * 3600);
    assert_eq!(count(&ttr.link), ttr.sample);
    assert!(!o.oldest_unassigned_high.is_empty());
    let ages: Vec<i64> = o
        .oldest_unassigned_high
        .iter()
        .map(|w| w.age_seconds)
        .collect();
    assert!(
        ages.windows(2).all(|w| w[0] >= w[1]),
        "oldest first: {ages:?}"
    );
    assert_eq!(
        count(&o.oldest_unassigned_high_link),
        alerts
            .iter()
            .filter(|a| a.status != Some(AlertStatus::Resolved)
                && a.severity == Some(AlertSeverity::High)
                && a.assigned_to.is_none())
            .count()
    );
    assert!(o.oldest_unassigned_high_link.href().starts_with("/alerts?"));
    assert_eq!(overview::format_duration(6 * 3600), "6 h 0 min");
}

/// A 200-alert demo emulator and a client for its first tenant, signed in as `ME` with `scope`.
async fn demo_client(
    scope: &str,
    seed: u64,
) -> (vigil_emulator::Running, GraphClient<NativeTransport>) {
    let emu = vigil_emulator::start(Options {
        port: 0,
        alerts: 200,
        ..Default::default()
    })
    .await
    .expect("emulator starts");
    let tenant = emu.tenants()[0].id.clone();
    let token = emu.mint_access_token(&tenant, ME, &[scope]);
    let c = GraphClient::new(
        NativeTransport::new().with_seed(seed),
        emu.graph_url(),
        &tenant,
        Rc::new(StaticToken(token)),
    )
    .unwrap();
    (emu, c)
}

#[tokio::test]
async fn bulk_incident_change_is_confirmed_per_incident_and_persists() {
    let (_emu, c) = demo_client("SecurityIncident.ReadWrite.All", 5).await;
    let incidents = c
        .list_incidents(&Query::new().top(50))
        .collect_all()
        .await
        .unwrap();
    assert!(incidents.len() >= 5, "{} incidents", incidents.len());
    let ids: Vec<IncidentId> = incidents.iter().take(5).map(|i| i.id.clone()).collect();
    let update = IncidentUpdate {
        status: Some(IncidentStatus::InProgress),
        assigned_to: Some(Some(ME.into())),
        custom_tags: Some(vec!["bulk-reviewed".into()]),
        ..Default::default()
    };
    assert!(IncidentJob::new(ids.clone(), IncidentUpdate::default()).is_err());
    let mut job = IncidentJob::new(ids.clone(), update).unwrap();
    let mut seen = Vec::new();
    let p = job
        .run(&c, |_, confirmed| {
            seen.extend(confirmed.iter().map(|i| i.id.clone()))
        })
        .await;
    let fails: Vec<_> = job.failures().collect();
    assert!(fails.is_empty(), "{fails:?}");
    assert_eq!((p.confirmed, p.total), (5, 5));
    assert_eq!(seen, ids);
    for id in &ids {
        let fresh = c.get_incident(id, false).await.unwrap();
        assert_eq!(fresh.status, Some(IncidentStatus::InProgress));
        assert_eq!(fresh.assigned_to.as_deref(), Some(ME));
        assert!(fresh.tags().iter().any(|t| t == "bulk-reviewed"));
    }
}

#[tokio::test]
async fn bulk_resolve_adds_the_comment_to_every_confirmed_alert() {
    let (_emu, c) = demo_client("SecurityAlert.ReadWrite.All", 9).await;
    let open = QueueFilter {
        severities: Set::any(),
        range: TimeRange::ALL_TIME,
        ..QueueFilter::default()
    };
    let alerts = c
        .list_alerts(&open.server_query(viewer()).top(30))
        .collect_all()
        .await
        .unwrap();
    assert!(alerts.len() >= 25, "{} open alerts", alerts.len());
    let ids: Vec<AlertId> = alerts.iter().take(25).map(|a| a.id.clone()).collect();
    let update = AlertUpdate {
        status: Some(AlertStatus::Resolved),
        ..Default::default()
    };
    let why = "Bulk: benign test traffic from the red team.";
    let mut job = BulkJob::new(ids.clone(), update).unwrap().with_comment(why);
    let p = job.run(&c, |_, _| {}).await;
    let fails: Vec<_> = job.failures().collect();
    assert!(fails.is_empty(), "{fails:?}");
    assert_eq!(p.confirmed, 25, "two batches: 20 and 5");
    for id in &ids {
        let a = c.get_alert(id).await.unwrap();
        assert_eq!(a.status, Some(AlertStatus::Resolved));
        assert!(
            a.comments
                .iter()
                .any(|cm| cm.comment.as_deref() == Some(why)),
            "alert {id} has the comment"
        );
    }
    // A blank comment adds nothing.
    assert_eq!(
        BulkJob::new(
            ids,
            AlertUpdate {
                status: Some(AlertStatus::New),
                ..Default::default()
            }
        )
        .unwrap()
        .with_comment("  ")
        .comment,
        None
    );
}
