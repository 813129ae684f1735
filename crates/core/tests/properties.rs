//! Property tests: the decoders never panic and answer every input with a value or a
//! `Decode` error (arbitrary bytes, byte-mutated bodies, and valid-UTF-8 JSON mutations that
//! get past the UTF-8 check into the model decoders), and the filter builder escapes any string
//! so it parses back to the same value.
//!
//! The bodies mutated are the repository's own fixtures (`tests/fixtures`), always, plus
//! Microsoft's documented examples when they are present (`VIGIL_GRAPH_EXAMPLES`), so these
//! properties run in a clean clone too.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::DeserializeOwned;
use serde_json::Value;
use vigil_core::ErrorKind;
use vigil_core::decode::decode;
use vigil_core::fields::alerts;
use vigil_core::models::*;
use vigil_core::odata::{Query, parse_string_literal, percent_decode, write_string_literal};

/// Decodes `bytes` as `T` and accepts only a value or a `Decode` error: a body can be wrong,
/// but it must never come back as some other kind (which the UI would react to differently).
fn value_or_decode_error<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), TestCaseError> {
    match decode::<T>(bytes) {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::Decode && e.status.is_none() && !e.message.is_empty() => {
            Ok(())
        }
        Err(e) => Err(TestCaseError::fail(format!(
            "{}: expected a value or a Decode error, got {e:?}",
            std::any::type_name::<T>()
        ))),
    }
}

fn decode_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    value_or_decode_error::<ODataPage<Alert>>(bytes)?;
    value_or_decode_error::<Alert>(bytes)?;
    value_or_decode_error::<Incident>(bytes)?;
    value_or_decode_error::<ODataPage<Incident>>(bytes)?;
    value_or_decode_error::<SecureScore>(bytes)?;
    value_or_decode_error::<SecureScoreControlProfile>(bytes)?;
    value_or_decode_error::<EdiscoveryCase>(bytes)?;
    value_or_decode_error::<CaseOperation>(bytes)?;
    value_or_decode_error::<ODataPage<DataSource>>(bytes)?;
    value_or_decode_error::<ThreatSubmission>(bytes)?;
    value_or_decode_error::<HuntingQueryResults>(bytes)?;
    value_or_decode_error::<vigil_core::error::GraphErrorBody>(bytes)?;
    Ok(())
}

/// Whether a body decodes into one fixture's own type.
type DecodesAs = fn(&[u8]) -> bool;

/// The repository's fixtures, each with the decoder of its own type.
const FIXTURES: &[(&str, DecodesAs)] = &[
    ("alert.json", |b| decode::<Alert>(b).is_ok()),
    ("incident.json", |b| decode::<Incident>(b).is_ok()),
    ("secure-score.json", |b| decode::<SecureScore>(b).is_ok()),
    ("control-profile.json", |b| {
        decode::<SecureScoreControlProfile>(b).is_ok()
    }),
    ("ediscovery-case.json", |b| {
        decode::<EdiscoveryCase>(b).is_ok()
    }),
];

/// The bodies to mutate: the fixtures, an alert page built from the alert fixture, and the
/// documented examples when present. Read once; every proptest case picks one.
fn example_bodies() -> &'static [Vec<u8>] {
    static BODIES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    BODIES.get_or_init(|| {
        let mut out: Vec<Vec<u8>> = FIXTURES.iter().map(|(f, _)| common::fixture(f)).collect();
        let alert: Value =
            serde_json::from_str(&String::from_utf8(common::fixture("alert.json")).unwrap())
                .unwrap();
        out.push(
            serde_json::to_vec(
                &serde_json::json!({"@odata.count": 2, "value": [alert.clone(), alert]}),
            )
            .unwrap(),
        );
        if let Ok(dir) = common::graph_examples() {
            for f in [
                "v1.0/security-alert/security-alert-get.json",
                "v1.0/security-alert/security-list-alerts_v2.json",
                "v1.0/security-incident/security-list-incidents-2.json",
                "v1.0/security-caseoperation/security-caseoperation-get.json",
                "v1.0/securescorecontrolprofile/security-list-securescorecontrolprofiles.json",
            ] {
                out.push(std::fs::read(dir.join(f)).unwrap_or_else(|e| {
                    panic!(
                        "{f}: {e} (the documented examples at {} are incomplete)",
                        dir.display()
                    )
                }));
            }
        }
        out
    })
}

fn parsed(body: &[u8]) -> Value {
    serde_json::from_str(std::str::from_utf8(body).expect("fixtures are UTF-8"))
        .expect("fixtures are JSON")
}

/// One edit of a JSON tree: what an API that changed shape, or a broken proxy, could send.
#[derive(Debug, Clone)]
enum Edit {
    /// Remove the key (or array element).
    Drop,
    Null,
    /// Same content, another JSON type (string ↔ number, array ↔ object, …).
    Retype,
    /// Any string: unknown enum members, malformed dates and ids, non-ASCII text.
    Text(String),
    Number(i64),
}

fn arb_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        Just(Edit::Drop),
        Just(Edit::Null),
        Just(Edit::Retype),
        "\\PC{0,16}".prop_map(Edit::Text),
        "[a-z][a-zA-Z]{0,15}".prop_map(Edit::Text),
        Just(Edit::Text("0001-01-01T00:00:00Z".into())),
        Just(Edit::Text("2024-13-45T25:61:61.123456789+99:00".into())),
        Just(Edit::Text(
            "#microsoft.graph.security.futureEvidence".into()
        )),
        any::<i64>().prop_map(Edit::Number),
    ]
}

fn has_children(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn retype(v: &mut Value) {
    *v = match std::mem::take(v) {
        Value::String(s) => Value::from(s.len()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Null => Value::Bool(false),
        Value::Array(a) => Value::Object(
            a.into_iter()
                .enumerate()
                .map(|(i, x)| (i.to_string(), x))
                .collect(),
        ),
        Value::Object(m) => Value::Array(m.into_iter().map(|(_, x)| x).collect()),
    };
}

/// Walks down `path` (each step picks a child of a non-empty container; the walk stops early at
/// a leaf) and applies `edit` to the child reached.
fn mutate(v: &mut Value, path: &[Index], edit: &Edit) {
    let Some((step, rest)) = path.split_first() else {
        return;
    };
    let child = match v {
        Value::Object(m) if !m.is_empty() => {
            let key = m
                .keys()
                .nth(step.index(m.len()))
                .cloned()
                .unwrap_or_default();
            if matches!(edit, Edit::Drop) && (rest.is_empty() || !has_children(&m[&key])) {
                m.remove(&key);
                return;
            }
            m.get_mut(&key)
        }
        Value::Array(a) if !a.is_empty() => {
            let i = step.index(a.len());
            if matches!(edit, Edit::Drop) && (rest.is_empty() || !has_children(&a[i])) {
                a.remove(i);
                return;
            }
            a.get_mut(i)
        }
        _ => None,
    };
    let Some(child) = child else { return };
    if !rest.is_empty() && has_children(child) {
        return mutate(child, rest, edit);
    }
    match edit {
        Edit::Drop => {}
        Edit::Null => *child = Value::Null,
        Edit::Retype => retype(child),
        Edit::Text(s) => *child = Value::String(s.clone()),
        Edit::Number(n) => *child = Value::from(*n),
    }
}

#[test]
fn fixtures_decode_to_their_values() {
    let a: Alert = decode(&common::fixture("alert.json")).unwrap();
    assert_eq!(a.id.as_str(), "ta638412001234567890_-1873542210");
    assert_eq!(a.status, Some(AlertStatus::InProgress));
    assert_eq!(a.severity, Some(AlertSeverity::High));
    assert_eq!(a.determination, Some(AlertDetermination::Malware));
    assert_eq!(a.mitre_techniques.len(), 3);
    assert_eq!(a.comments.len(), 1);
    assert_eq!(
        a.created_date_time.unwrap().to_rfc3339(),
        "2024-02-06T09:41:17.2203312Z"
    );
    assert_eq!(a.resolved_date_time, None);
    let kinds: Vec<&str> = a.evidence.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        kinds,
        ["device", "file", "process", "user", "ip", "url", "mailbox"]
    );
    match (
        &a.evidence[0].kind,
        &a.evidence[1].kind,
        &a.evidence[2].kind,
        &a.evidence[4].kind,
    ) {
        (
            EvidenceKind::Device(d),
            EvidenceKind::File(f),
            EvidenceKind::Process(p),
            EvidenceKind::Ip(ip),
        ) => {
            assert_eq!(d.os_build, Some(22631));
            assert_eq!(d.risk_score, Some(DeviceRiskScore::High));
            assert_eq!(d.logged_on_users.len(), 1);
            assert_eq!(f.file_details.as_ref().unwrap().file_size, Some(48213));
            assert_eq!(p.process_id, Some(7316));
            assert_eq!(
                p.image_file.as_ref().unwrap().file_name.as_deref(),
                Some("powershell.exe")
            );
            assert_eq!(ip.ip_address.as_deref(), Some("203.0.113.74"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.evidence[0].common.roles, vec![EvidenceRole::Compromised]);
    assert_eq!(
        a.evidence[1].common.verdict,
        Some(EvidenceVerdict::Malicious)
    );

    let i: Incident = decode(&common::fixture("incident.json")).unwrap();
    assert_eq!(i.status, Some(IncidentStatus::Active));
    assert_eq!(i.tags(), ["Finance", "Macro"]);
    assert_eq!(i.alerts.len(), 1);
    assert_eq!(
        i.comments[0].created_by_display_name.as_deref(),
        Some("marco.liu@tailspin.example")
    );

    let s: SecureScore = decode(&common::fixture("secure-score.json")).unwrap();
    assert_eq!((s.current_score, s.max_score), (Some(214.5), Some(392.0)));
    assert_eq!(
        (s.average_comparative_scores.len(), s.control_scores.len()),
        (2, 2)
    );

    let c: SecureScoreControlProfile = decode(&common::fixture("control-profile.json")).unwrap();
    assert_eq!(c.rank, Some(6));
    assert_eq!(c.compliance_information[0].certification_controls.len(), 1);
    assert_eq!(
        c.control_state_updates[0].state,
        Some(ControlState::Reviewed)
    );

    let e: EdiscoveryCase = decode(&common::fixture("ediscovery-case.json")).unwrap();
    assert_eq!(e.status, Some(CaseStatus::Active));
    assert_eq!(
        e.created_by.as_ref().and_then(|b| b.label()),
        Some("Jonas Berg")
    );
    assert_eq!(
        e.last_modified_by.as_ref().and_then(|b| b.label()),
        Some("Vigil")
    );
    assert_eq!((e.closed_by, e.closed_date_time), (None, None));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&bytes)?;
        if std::str::from_utf8(&bytes).is_err() {
            let e = decode::<Alert>(&bytes).unwrap_err();
            prop_assert_eq!(e.kind, ErrorKind::Decode);
        }
    }

    #[test]
    fn decoders_never_panic_on_mutated_examples(
        which in any::<Index>(),
        edits in proptest::collection::vec((any::<Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let bodies = example_bodies();
        let mut body = bodies[which.index(bodies.len())].clone();
        for (idx, byte, op) in edits {
            if body.is_empty() { break; }
            let i = idx.index(body.len());
            match op {
                0 => body[i] = byte,
                1 => { body.remove(i); }
                _ => body.truncate(i),
            }
        }
        decode_all(&body)?;
    }

    /// Valid UTF-8, valid JSON, wrong shapes: these reach the model decoders (evidence's
    /// hand-written reader, the open enums, the tolerant dates) instead of stopping at the
    /// UTF-8 or syntax check.
    #[test]
    fn decoders_answer_json_mutations_with_a_value_or_a_decode_error(
        which in any::<Index>(),
        edits in proptest::collection::vec(
            (proptest::collection::vec(any::<Index>(), 1..6), arb_edit()),
            1..6,
        ),
    ) {
        let bodies = example_bodies();
        let mut v = parsed(&bodies[which.index(bodies.len())]);
        for (path, edit) in &edits {
            mutate(&mut v, path, edit);
        }
        decode_all(serde_json::to_string(&v).unwrap().as_bytes())?;
    }

    /// Every property of every model is optional or defaulted, so a fixture with any keys
    /// dropped, at any depth, still decodes into its own type.
    #[test]
    fn fixtures_decode_with_any_keys_dropped(
        which in any::<Index>(),
        paths in proptest::collection::vec(proptest::collection::vec(any::<Index>(), 1..5), 1..6),
    ) {
        let (name, decodes) = FIXTURES[which.index(FIXTURES.len())];
        let mut v = parsed(&common::fixture(name));
        for path in &paths {
            drop_key(&mut v, path);
        }
        prop_assert!(decodes(serde_json::to_string(&v).unwrap().as_bytes()), "{name} after drops: {v}");
    }

    /// Enums are open: any string in an enum property decodes, kept as what it parses to.
    #[test]
    fn unknown_enum_strings_decode_as_what_they_parse_to(s in "\\PC{0,24}") {
        let mut v = parsed(&common::fixture("alert.json"));
        v["status"] = Value::String(s.clone());
        v["severity"] = Value::String(s.clone());
        v["evidence"][0]["verdict"] = Value::String(s.clone());
        let a: Alert = decode(serde_json::to_string(&v).unwrap().as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(a.status, Some(AlertStatus::parse(&s)));
        prop_assert_eq!(a.severity, Some(AlertSeverity::parse(&s)));
        prop_assert_eq!(a.evidence[0].common.verdict.clone(), Some(EvidenceVerdict::parse(&s)));
        prop_assert_eq!(a.evidence.len(), 7);
    }

    #[test]
    fn json_value_shapes_never_panic(v in arb_json()) {
        let bytes = serde_json::to_vec(&serde_json::json!({"value": [v.clone()], "evidence": [v.clone()], "status": v})).unwrap();
        decode_all(&bytes)?;
    }

    #[test]
    fn string_literals_round_trip(s in any::<String>()) {
        let mut lit = String::new();
        write_string_literal(&s, &mut lit);
        prop_assert_eq!(parse_string_literal(&lit), Some(s.clone()));
        // Through a whole filter and the query string too.
        let q = Query::new().filter(alerts::ASSIGNED_TO.eq(&s)).to_query_string();
        let value = q.strip_prefix("?$filter=").unwrap();
        prop_assert!(!value.contains(['&', '#', ' ', '+']));
        let decoded = percent_decode(value).unwrap();
        let lit = decoded.strip_prefix("assignedTo eq ").unwrap();
        prop_assert_eq!(parse_string_literal(lit), Some(s));
    }

    #[test]
    fn dates_round_trip(secs in -62_135_596_800i64..253_402_300_799i64, nanos in 0u32..1_000_000_000) {
        let d = DateTime::from_unix(secs);
        prop_assert_eq!(DateTime::parse(&d.to_rfc3339()), Some(d));
        let text = format!("{}.{:09}Z", d.to_rfc3339().trim_end_matches('Z'), nanos);
        let p = DateTime::parse(&text).unwrap();
        prop_assert_eq!((p.unix_seconds(), p.nanos()), (secs, nanos));
    }

    #[test]
    fn date_parser_never_panics(s in ".{0,40}") {
        let _ = DateTime::parse(&s);
    }
}

/// Drops the object key reached along `path` (arrays are walked through, never shortened, so
/// only properties go missing).
fn drop_key(v: &mut Value, path: &[Index]) {
    let Some((step, rest)) = path.split_first() else {
        return;
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            let key = m
                .keys()
                .nth(step.index(m.len()))
                .cloned()
                .unwrap_or_default();
            if rest.is_empty() || !has_children(&m[&key]) {
                m.remove(&key);
            } else if let Some(child) = m.get_mut(&key) {
                drop_key(child, rest);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let i = step.index(a.len());
            drop_key(&mut a[i], rest);
        }
        _ => {}
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z#.@]{0,30}".prop_map(Value::String),
        Just(Value::String(
            "#microsoft.graph.security.fileEvidence".into()
        )),
        Just(Value::String("0001-01-01T00:00:00Z".into())),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("@odata.type".to_owned()),
                    Just("id".to_owned()),
                    Just("status".to_owned()),
                    Just("fileDetails".to_owned()),
                    "[a-z]{1,8}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
